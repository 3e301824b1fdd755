import Yams

/// One entry under `functions:`: its handler, triggers, limits, auth and the names it may read.
extension ManifestLoader {
    func readFunction(
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

    func readTriggers(_ node: Node, what: String, _ nodes: inout ManifestNodes) -> [HTTPTrigger] {
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

    func readAuth(_ node: Node, _ nodes: inout ManifestNodes) -> AuthPolicy? {
        guard let text = nodes.string(node, named: "auth") else { return nil }
        guard let auth = AuthPolicy(rawValue: text) else {
            nodes.report("auth \"\(text)\" must be \"none\", \"viewerKey\" or \"adminKey\"", at: node)
            return nil
        }
        return auth
    }

    func readNames(_ node: Node, what: String, _ nodes: inout ManifestNodes) -> [String] {
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

    static func httpNode(_ function: Node, index: Int) -> Node? {
        guard let http = function.mapping?["http"] else { return function }
        if case .sequence(let sequence) = http, index < sequence.count { return sequence[index] }
        return http
    }
}
