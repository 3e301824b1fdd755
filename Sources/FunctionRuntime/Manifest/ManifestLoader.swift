import Foundation
import Yams

/// Turns `functions.yaml` into a validated ``FunctionManifest``, or a ``ManifestError`` listing every problem
/// with its `file:line:col`.
public struct ManifestLoader: Sendable {
    /// Paths the host serves itself; a function may not claim them.
    public static let reservedPaths = ["/metrics", "/openapi.yaml"]
    /// Path prefix kept for built-in pages (`/_console`).
    public static let reservedPrefix = "/_"
    /// Methods a trigger may name.
    public static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    static let rootKeys = [
        "specVersion", "service", "adminKeySecret", "viewerKeySecret", "defaults", "deploy", "retention", "functions",
    ]
    static let defaultKeys = ["timeout", "maxRequestBytes", "auth", "timeZone"]
    static let deployKeys = ["memory", "cpu", "concurrency", "minInstances", "maxInstances"]
    static let functionKeys = [
        "handler", "description", "http", "schedule", "timeout", "auth", "maxRequestBytes", "env", "secrets",
    ]
    static let scheduleKeys = ["cron", "timeZone", "retry"]
    static let retryKeys = ["count", "minBackoff", "maxBackoff"]
    /// Cloud Run's longest request timeout.
    static let timeoutRange: ClosedRange<Duration> = .milliseconds(1)...(.seconds(3600))
    /// Cloud Run's request size limit for HTTP/1.
    static let bodyRange = 1...(32 << 20)

    /// Handler names the bundle provides; a function naming any other is an error.
    public var knownHandlers: Set<String>

    /// Creates a loader that accepts the given handler names.
    public init(knownHandlers: Set<String>) {
        self.knownHandlers = knownHandlers
    }

    /// Reads and validates the manifest at `path`.
    public func load(path: String) throws(ManifestError) -> FunctionManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ManifestError([ManifestDiagnostic(file: path, line: 1, column: 1, message: "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ManifestError([ManifestDiagnostic(file: path, line: 1, column: 1, message: "the file is not UTF-8")])
        }
        return try parse(text, file: path)
    }

    /// Validates manifest `text`, naming `file` in diagnostics.
    public func parse(_ text: String, file: String = "functions.yaml") throws(ManifestError) -> FunctionManifest {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ManifestError([
                    ManifestDiagnostic(file: file, line: 1, column: 1, message: "the manifest is empty")
                ])
            }
            root = node
        } catch let error as ManifestError {
            throw error
        } catch {
            throw ManifestError([Self.diagnostic(for: error, file: file)])
        }
        var nodes = ManifestNodes(file: file)
        let manifest = read(root, &nodes)
        if let manifest, nodes.diagnostics.isEmpty { return manifest }
        throw ManifestError(nodes.diagnostics)
    }

    static func diagnostic(for error: any Error, file: String) -> ManifestDiagnostic {
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _)?, .parser(_, let problem, let mark, _)?,
            .composer(_, let problem, let mark, _)?:
            return ManifestDiagnostic(
                file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context)?:
            return ManifestDiagnostic(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                message: "duplicate key \(duplicates.map { "\"\($0)\"" }.sorted().joined(separator: ", "))"
            )
        default:
            return ManifestDiagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }

    static func isServiceName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase, name.count <= 49, !name.hasSuffix("-") else {
            return false
        }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    static func isFunctionName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase, name.count <= 63 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isUppercase || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }
    }
}
