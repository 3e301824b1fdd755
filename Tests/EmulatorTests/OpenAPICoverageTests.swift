import Foundation
import FunctionRuntime
import Functions
import Testing

/// openapi.yaml describes the manifest: every HTTP trigger in functions.yaml has its operation, and the
/// description names no route the manifest does not have (built-ins aside).
@Suite("openapi.yaml covers functions.yaml")
struct OpenAPICoverageTests {
    /// The package root, found from this file's path (Tests/EmulatorTests/…).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyRouteIsDescribedAndNothingElse() throws {
        let root = Self.packageRoot
        let manifest = try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames)
            .load(path: root.appendingPathComponent("functions.yaml").path)
        let declared = Set(
            manifest.functions.flatMap { function in
                function.httpTriggers.map { "\($0.method) \($0.path)" }
            })
        let described = try Self.operations(
            in: String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8))
        let builtIns: Set<String> = ["GET /healthz", "GET /metrics", "GET /openapi.yaml"]
        #expect(declared.subtracting(described).isEmpty, "routes without a description")
        #expect(described.subtracting(declared).subtracting(builtIns).isEmpty, "described routes no function serves")
    }

    /// `METHOD /path` of every operation: paths are the two-space-indented keys under `paths:`, methods the
    /// four-space-indented ones under each path (the layout openapi.yaml keeps).
    static func operations(in yaml: String) throws -> Set<String> {
        var operations: Set<String> = []
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(method) {
                    operations.insert("\(method) \(path)")
                }
            }
        }
        return operations
    }
}
