/// Method-and-path routing: the one place that decides between a match, 404 and 405 (with the methods `Allow`
/// lists), shared by the manifest's functions (``RouteTable``) and the host's built-in endpoints.
public struct Router<Target: Sendable>: Sendable {
    /// One method on one path template.
    public struct Route: Sendable {
        public var method: String
        public var path: PathTemplate
        public var target: Target
        /// Whether a `GET` route also answers `HEAD`, as HTTP intends; the scheduler's admin endpoints never did.
        public var answersHead: Bool

        public init(_ method: String, _ path: PathTemplate, _ target: Target, answersHead: Bool = true) {
            self.method = method
            self.path = path
            self.target = target
            self.answersHead = answersHead
        }
    }

    /// The outcome of a lookup.
    public enum Match: Sendable {
        /// A route serves the request; `parameters` holds the captured path values.
        case found(Target, parameters: [String: String])
        /// The path exists for other methods only (answer 405 with `Allow`).
        case methodNotAllowed(allowed: [String])
        /// No route has this path (answer 404).
        case notFound
    }

    private let routes: [Route]
    private let ignoresTrailingSlash: Bool

    /// Literal segments win over parameters, so `/admin/models` beats `/admin/{name}`. `ignoresTrailingSlash`
    /// makes `/a/` the same path as `/a`, as most routers do; the built-in endpoints only ever answered exact paths.
    public init(_ routes: [Route], ignoresTrailingSlash: Bool = true) {
        self.routes = routes.sorted { $1.path.specificity.lexicographicallyPrecedes($0.path.specificity) }
        self.ignoresTrailingSlash = ignoresTrailingSlash
    }

    /// Looks up `method` and `path` (without query).
    public func match(method: String, path: String) -> Match {
        let segments = ignoresTrailingSlash ? Self.segments(of: path) : Self.exactSegments(of: path)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.path.match(segments) else { continue }
            let headToo = route.method == "GET" && route.answersHead
            if route.method == method || (method == "HEAD" && headToo) {
                return .found(route.target, parameters: parameters)
            }
            for verb in headToo ? ["GET", "HEAD"] : [route.method] where !allowed.contains(verb) {
                allowed.append(verb)
            }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }

    /// The path's segments; a trailing slash is ignored.
    static func segments(of path: String) -> [Substring] {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return exactSegments(of: trimmed)
    }

    /// The path's segments, a trailing slash giving an empty last one.
    static func exactSegments(of path: some StringProtocol) -> [Substring] {
        guard path != "/" && !path.isEmpty else { return [] }
        return Substring(path).dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    }
}

extension Router.Match {
    /// The JSON error a miss is answered with: 404 with the `notFound` message, or 405 with `Allow`; `nil` for a
    /// match. Every table answers its misses through here, so they all look alike to a client.
    public func refusal(method: String, notFound: @autoclosure () -> String) -> FunctionError? {
        switch self {
        case .found: nil
        case .notFound: .notFound(notFound())
        case .methodNotAllowed(let allowed): .methodNotAllowed(method, allowed: allowed)
        }
    }
}
