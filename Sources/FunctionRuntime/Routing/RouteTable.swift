/// Finds the function that serves a method and path, with Functions Framework's answers for misses.
public struct RouteTable: Sendable {
    /// The outcome of a lookup: the function and its path parameters, 405 with `Allow`, or 404.
    public typealias Match = Router<FunctionDeclaration>.Match

    private let router: Router<FunctionDeclaration>

    /// Builds the table; literal segments win over parameters, so `/admin/models` beats `/admin/{name}`.
    public init(manifest: FunctionManifest) {
        router = Router(
            manifest.functions.flatMap { function in
                function.httpTriggers.map { Router.Route($0.method, $0.path, function) }
            })
    }

    /// Looks up `method` and `path` (without query). `HEAD` is served by the `GET` route.
    public func match(method: String, path: String) -> Match {
        router.match(method: method, path: path)
    }
}
