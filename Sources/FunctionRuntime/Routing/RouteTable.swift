/// Finds the function that serves a method and path, with Functions Framework's answers for misses.
public struct RouteTable: Sendable {
    /// The outcome of a lookup.
    public enum Match: Sendable {
        /// A function serves the route; `parameters` holds the captured path values.
        case function(FunctionDeclaration, parameters: [String: String])
        /// The path exists for other methods only (answer 405 with `Allow`).
        case methodNotAllowed(allowed: [String])
        /// No function serves the path (answer 404).
        case notFound
    }

    private struct Route: Sendable {
        var trigger: HTTPTrigger
        var function: FunctionDeclaration
    }

    private let routes: [Route]

    /// Builds the table; literal segments win over parameters, so `/admin/models` beats `/admin/{name}`.
    public init(manifest: FunctionManifest) {
        routes = manifest.functions
            .flatMap { function in function.httpTriggers.map { Route(trigger: $0, function: function) } }
            .sorted { $1.trigger.path.specificity.lexicographicallyPrecedes($0.trigger.path.specificity) }
    }

    /// Looks up `method` and `path` (without query). `HEAD` is served by the `GET` route.
    public func match(method: String, path: String) -> Match {
        let segments = Self.segments(of: path)
        var allowed: [String] = []
        let wanted = method == "HEAD" ? "GET" : method
        for route in routes {
            guard let parameters = route.trigger.path.match(segments) else { continue }
            if route.trigger.method == wanted { return .function(route.function, parameters: parameters) }
            if !allowed.contains(route.trigger.method) { allowed.append(route.trigger.method) }
        }
        if allowed.contains("GET") { allowed.append("HEAD") }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }

    /// The path's segments; a trailing slash is ignored, as most routers do.
    static func segments(of path: String) -> [Substring] {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard trimmed != "/" && !trimmed.isEmpty else { return [] }
        return trimmed.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    }
}
