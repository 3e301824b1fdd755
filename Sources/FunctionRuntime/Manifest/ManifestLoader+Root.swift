import Foundation
import Yams

/// The top level of `functions.yaml`: the service, the admin key's name, `defaults`, `deploy` and the functions
/// with their routes checked for duplicates.
extension ManifestLoader {
    func read(_ root: Node, _ nodes: inout ManifestNodes) -> FunctionManifest? {
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
        let adminKeySecret = readSecretName("adminKeySecret", byKey, default: "MODEL_ADMIN_API_KEY", &nodes)
        let viewerKeySecret = readSecretName("viewerKeySecret", byKey, default: "RIDEEASE_VIEWER_KEY", &nodes)
        if viewerKeySecret == adminKeySecret, let entry = byKey["viewerKeySecret"] {
            nodes.report(
                "viewerKeySecret must differ from adminKeySecret: a read-only key cannot be the admin key",
                at: entry.value)
        }
        let retention = byKey["retention"].map { readRetention($0.value, &nodes) } ?? RetentionPolicy()
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
            viewerKeySecret: viewerKeySecret,
            deployment: deployment,
            retention: retention
        )
    }

    private func readSecretName(
        _ key: String, _ byKey: [String: (key: String, node: Node, value: Node)], default name: String,
        _ nodes: inout ManifestNodes
    ) -> String {
        guard let entry = byKey[key], let text = nodes.string(entry.value, named: key) else { return name }
        guard Self.isEnvironmentName(text) else {
            nodes.report("\(key) \"\(text)\" must be an environment variable name", at: entry.value)
            return name
        }
        return text
    }

    struct FunctionDefaults {
        var timeout: Duration = .seconds(60)
        var maxRequestBytes = 1 << 20
        var auth = AuthPolicy.none
        var timeZone = TimeZone(identifier: "UTC")!
        var timeZoneName = "UTC"
    }

    func readDefaults(_ node: Node, _ nodes: inout ManifestNodes) -> FunctionDefaults {
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

    func readDeployment(_ node: Node, _ nodes: inout ManifestNodes) -> DeploymentSettings {
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
}
