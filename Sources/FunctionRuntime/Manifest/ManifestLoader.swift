import Foundation
import Scheduler
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

    private static let rootKeys = ["specVersion", "service", "adminKeySecret", "defaults", "deploy", "functions"]
    private static let defaultKeys = ["timeout", "maxRequestBytes", "auth", "timeZone"]
    private static let deployKeys = ["memory", "cpu", "concurrency", "minInstances", "maxInstances"]
    private static let functionKeys = [
        "handler", "description", "http", "schedule", "timeout", "auth", "maxRequestBytes", "env", "secrets",
    ]
    private static let scheduleKeys = ["cron", "timeZone", "retry"]
    private static let retryKeys = ["count", "minBackoff", "maxBackoff"]
    /// Cloud Run's longest request timeout.
    private static let timeoutRange: ClosedRange<Duration> = .milliseconds(1)...(.seconds(3600))
    /// Cloud Run's request size limit for HTTP/1.
    private static let bodyRange = 1...(32 << 20)

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

    private func read(_ root: Node, _ nodes: inout ManifestNodes) -> FunctionManifest? {
        guard let pairs = nodes.mapping(root, named: "the manifest", allowed: Self.rootKeys) else { return nil }
        let byKey = Dictionary(pairs.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var service: String?
        if let entry = byKey["specVersion"], let version = nodes.string(entry.value, named: "specVersion"),
            version != "v1"
        {
            nodes.report("specVersion \"\(version)\" is not supported; use v1", at: entry.value)
        }
        if let entry = byKey["service"] {
            service = nodes.string(entry.value, named: "service")
            if let name = service, !Self.isServiceName(name) {
                nodes.report(
                    "service \"\(name)\" must be 1-49 lower-case letters, digits or hyphens, starting with a letter",
                    at: entry.value
                )
            }
        } else {
            nodes.report("the manifest needs a \"service\" name", at: root)
        }
        var adminKeySecret = "MODEL_ADMIN_API_KEY"
        if let entry = byKey["adminKeySecret"], let name = nodes.string(entry.value, named: "adminKeySecret") {
            if Self.isEnvironmentName(name) {
                adminKeySecret = name
            } else {
                nodes.report("adminKeySecret \"\(name)\" must be an environment variable name", at: entry.value)
            }
        }
        let defaults = byKey["defaults"].map { readDefaults($0.value, &nodes) } ?? FunctionDefaults()
        let deployment = byKey["deploy"].map { readDeployment($0.value, &nodes) } ?? DeploymentSettings()
        guard let functionsEntry = byKey["functions"] else {
            nodes.report("the manifest needs a \"functions\" mapping", at: root)
            return nil
        }
        guard let functionPairs = nodes.mapping(functionsEntry.value, named: "functions", allowed: []) else {
            return nil
        }
        if functionPairs.isEmpty {
            nodes.report("functions must declare at least one function", at: functionsEntry.value)
        }
        var functions: [FunctionDeclaration] = []
        var routes: [String: String] = [:]
        for pair in functionPairs {
            guard let function = readFunction(pair.key, pair.node, pair.value, defaults, &nodes) else { continue }
            for (index, trigger) in function.httpTriggers.enumerated() {
                let routeKey = "\(trigger.method) \(trigger.path.shape)"
                if let owner = routes[routeKey] {
                    nodes.report(
                        "route \(trigger) of function \"\(function.name)\" duplicates a route of \"\(owner)\"",
                        at: Self.httpNode(pair.value, index: index)
                    )
                } else {
                    routes[routeKey] = function.name
                }
            }
            functions.append(function)
        }
        guard let service else { return nil }
        return FunctionManifest(
            service: service,
            functions: functions,
            adminKeySecret: adminKeySecret,
            deployment: deployment
        )
    }

    private struct FunctionDefaults {
        var timeout: Duration = .seconds(60)
        var maxRequestBytes = 1 << 20
        var auth = AuthPolicy.none
        var timeZone = TimeZone(identifier: "UTC")!
        var timeZoneName = "UTC"
    }

    private func readDefaults(_ node: Node, _ nodes: inout ManifestNodes) -> FunctionDefaults {
        var defaults = FunctionDefaults()
        for pair in nodes.mapping(node, named: "defaults", allowed: Self.defaultKeys) ?? [] {
            switch pair.key {
            case "timeout":
                defaults.timeout =
                    nodes.duration(pair.value, named: "timeout", range: Self.timeoutRange) ?? defaults.timeout
            case "maxRequestBytes":
                defaults.maxRequestBytes =
                    nodes.byteCount(pair.value, named: "maxRequestBytes", range: Self.bodyRange)
                    ?? defaults.maxRequestBytes
            case "auth":
                defaults.auth = readAuth(pair.value, &nodes) ?? defaults.auth
            default:
                if let zone = readTimeZone(pair.value, &nodes) {
                    defaults.timeZone = zone
                    defaults.timeZoneName = pair.value.scalar?.string ?? zone.identifier
                }
            }
        }
        return defaults
    }

    private func readDeployment(_ node: Node, _ nodes: inout ManifestNodes) -> DeploymentSettings {
        var settings = DeploymentSettings()
        for pair in nodes.mapping(node, named: "deploy", allowed: Self.deployKeys) ?? [] {
            switch pair.key {
            case "memory": settings.memory = nodes.string(pair.value, named: "memory") ?? settings.memory
            case "cpu": settings.cpu = nodes.string(pair.value, named: "cpu") ?? settings.cpu
            case "concurrency":
                settings.concurrency =
                    nodes.integer(pair.value, named: "concurrency", range: 1...1000) ?? settings.concurrency
            case "minInstances":
                settings.minInstances = nodes.integer(pair.value, named: "minInstances", range: 0...1000) ?? 0
            default:
                settings.maxInstances = nodes.integer(pair.value, named: "maxInstances", range: 1...1000) ?? 10
            }
        }
        if settings.minInstances > settings.maxInstances {
            nodes.report("deploy.minInstances must not exceed deploy.maxInstances", at: node)
        }
        return settings
    }

    private func readFunction(
        _ name: String,
        _ keyNode: Node,
        _ node: Node,
        _ defaults: FunctionDefaults,
        _ nodes: inout ManifestNodes
    ) -> FunctionDeclaration? {
        if !Self.isFunctionName(name) {
            nodes.report(
                "function name \"\(name)\" must be 1-63 lower-case letters, digits, hyphens or underscores, "
                    + "starting with a letter",
                at: keyNode
            )
        }
        guard let pairs = nodes.mapping(node, named: "function \"\(name)\"", allowed: Self.functionKeys) else {
            return nil
        }
        var function = FunctionDeclaration(
            name: name,
            handler: "",
            timeout: defaults.timeout,
            auth: defaults.auth,
            maxRequestBytes: defaults.maxRequestBytes
        )
        var valid = true
        for pair in pairs {
            let what = "\(pair.key) of function \"\(name)\""
            switch pair.key {
            case "handler":
                guard let handler = nodes.string(pair.value, named: what) else { valid = false; continue }
                if !knownHandlers.contains(handler) {
                    let hint = ManifestValues.suggestion(for: handler, among: knownHandlers.sorted())
                    nodes.report(
                        "unknown handler \"\(handler)\" in function \"\(name)\""
                            + (hint.map { "; did you mean \"\($0)\"?" }
                                ?? "; known: \(knownHandlers.sorted().joined(separator: ", "))"),
                        at: pair.value
                    )
                    valid = false
                }
                function.handler = handler
            case "description":
                function.description = nodes.string(pair.value, named: what) ?? ""
            case "http":
                function.httpTriggers = readTriggers(pair.value, what: what, &nodes)
            case "schedule":
                function.schedule = readSchedule(pair.value, what: what, defaults, &nodes)
                if function.schedule == nil { valid = false }
            case "timeout":
                function.timeout = nodes.duration(pair.value, named: what, range: Self.timeoutRange) ?? function.timeout
            case "auth":
                function.auth = readAuth(pair.value, &nodes) ?? function.auth
            case "maxRequestBytes":
                function.maxRequestBytes =
                    nodes.byteCount(pair.value, named: what, range: Self.bodyRange) ?? function.maxRequestBytes
            case "env":
                function.environment = readNames(pair.value, what: what, &nodes)
            default:
                function.secrets = readNames(pair.value, what: what, &nodes)
            }
        }
        if !pairs.contains(where: { $0.key == "handler" }) {
            nodes.report("function \"\(name)\" needs a \"handler\"", at: keyNode)
            valid = false
        }
        if !pairs.contains(where: { $0.key == "http" || $0.key == "schedule" }) {
            nodes.report("function \"\(name)\" needs an \"http\" or a \"schedule\" trigger", at: keyNode)
        }
        return valid ? function : nil
    }

    private func readTriggers(_ node: Node, what: String, _ nodes: inout ManifestNodes) -> [HTTPTrigger] {
        var triggers: [HTTPTrigger] = []
        for (text, item) in nodes.strings(node, named: what) ?? [] {
            let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard parts.count == 2 else {
                nodes.report("route \"\(text)\" must be a method and a path, like \"POST /recommendations\"", at: item)
                continue
            }
            let method = parts[0]
            guard Self.methods.contains(method) else {
                nodes.report(
                    "route \"\(text)\": method must be one of \(Self.methods.joined(separator: ", "))", at: item)
                continue
            }
            let path: PathTemplate
            do {
                path = try PathTemplate(parts[1])
            } catch {
                nodes.report("route \"\(text)\": \(error.message)", at: item)
                continue
            }
            let shape = path.shape
            if Self.reservedPaths.contains(shape) || shape.hasPrefix(Self.reservedPrefix) {
                nodes.report("route \"\(text)\": \(shape) is served by the host itself and cannot be claimed", at: item)
                continue
            }
            triggers.append(HTTPTrigger(method: method, path: path))
        }
        return triggers
    }

    private func readSchedule(
        _ node: Node,
        what: String,
        _ defaults: FunctionDefaults,
        _ nodes: inout ManifestNodes
    ) -> ScheduleTrigger? {
        let defaultZone = defaults.timeZone
        let defaultZoneName = defaults.timeZoneName
        // `schedule: "0 2 * * 0"` is shorthand for `schedule: {cron: "0 2 * * 0"}`.
        let pairs: [(key: String, node: Node, value: Node)]
        if node.scalar != nil {
            pairs = [("cron", node, node)]
        } else {
            guard let mapped = nodes.mapping(node, named: what, allowed: Self.scheduleKeys) else { return nil }
            pairs = mapped
        }
        var cron: (String, CronSchedule)?
        var timeZone = defaultZone
        var timeZoneName = defaultZoneName
        var retry = ScheduleRetryPolicy()
        var valid = true
        for pair in pairs {
            switch pair.key {
            case "cron":
                guard let expression = nodes.string(pair.value, named: "cron") else { valid = false; continue }
                do {
                    cron = (expression, try CronSchedule(expression))
                } catch {
                    nodes.report(
                        "schedule \"\(expression)\": \(error.message)",
                        at: pair.value,
                        columnOffset: ManifestNodes.contentOffset(of: pair.value) + error.offset
                    )
                    valid = false
                }
            case "timeZone":
                guard let zone = readTimeZone(pair.value, &nodes) else { valid = false; continue }
                timeZone = zone
                timeZoneName = pair.value.scalar?.string ?? zone.identifier
            default:
                retry = readRetry(pair.value, &nodes)
            }
        }
        if cron == nil && valid {
            nodes.report("\(what) needs a \"cron\" expression", at: node)
        }
        guard valid, let (expression, schedule) = cron else { return nil }
        return ScheduleTrigger(
            expression: expression,
            cron: schedule,
            timeZone: timeZone,
            timeZoneName: timeZoneName,
            retry: retry
        )
    }

    private func readRetry(_ node: Node, _ nodes: inout ManifestNodes) -> ScheduleRetryPolicy {
        var retry = ScheduleRetryPolicy()
        for pair in nodes.mapping(node, named: "retry", allowed: Self.retryKeys) ?? [] {
            switch pair.key {
            case "count":
                retry.retryCount = nodes.integer(pair.value, named: "retry count", range: 0...5) ?? 0
            case "minBackoff":
                retry.minBackoff =
                    nodes.duration(pair.value, named: "minBackoff", range: .seconds(0)...(.seconds(3600)))
                    ?? retry.minBackoff
            default:
                retry.maxBackoff =
                    nodes.duration(pair.value, named: "maxBackoff", range: .seconds(0)...(.seconds(3600)))
                    ?? retry.maxBackoff
            }
        }
        if retry.minBackoff > retry.maxBackoff {
            nodes.report("retry minBackoff must not exceed maxBackoff", at: node)
        }
        return retry
    }

    private func readAuth(_ node: Node, _ nodes: inout ManifestNodes) -> AuthPolicy? {
        guard let text = nodes.string(node, named: "auth") else { return nil }
        guard let auth = AuthPolicy(rawValue: text) else {
            nodes.report("auth \"\(text)\" must be \"none\" or \"adminKey\"", at: node)
            return nil
        }
        return auth
    }

    private func readTimeZone(_ node: Node, _ nodes: inout ManifestNodes) -> TimeZone? {
        guard let identifier = nodes.string(node, named: "timeZone") else { return nil }
        guard identifier == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(identifier),
            let zone = TimeZone(identifier: identifier)
        else {
            let hint = ManifestValues.suggestion(for: identifier, among: TimeZone.knownTimeZoneIdentifiers)
            nodes.report(
                "time zone \"\(identifier)\" is not an IANA time zone"
                    + (hint.map { "; did you mean \"\($0)\"?" } ?? ""),
                at: node
            )
            return nil
        }
        return zone
    }

    private func readNames(_ node: Node, what: String, _ nodes: inout ManifestNodes) -> [String] {
        var names: [String] = []
        for (name, item) in nodes.strings(node, named: what) ?? [] {
            if Self.isEnvironmentName(name) {
                names.append(name)
            } else {
                nodes.report("\"\(name)\" in \(what) is not an environment variable name", at: item)
            }
        }
        return names
    }

    private static func httpNode(_ function: Node, index: Int) -> Node? {
        guard let http = function.mapping?["http"] else { return function }
        if case .sequence(let sequence) = http, index < sequence.count { return sequence[index] }
        return http
    }

    private static func diagnostic(for error: any Error, file: String) -> ManifestDiagnostic {
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
