/// The contract every RideEase function is written against.
///
/// A handler is a `Sendable` value built once at startup with its dependencies injected; it never sees the
/// HTTP server. The runtime enforces what the manifest declares (auth, body size, timeout) before and around
/// `handle`, so a handler only does its own work.
public protocol FunctionHandler: Sendable {
    /// Answers one invocation, or throws a ``FunctionError`` (any other error becomes a 500 and is logged).
    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse

    /// Whether `handle` computes for long (reading and merging many objects, building training data): such a
    /// handler runs on `Offload.cpu`'s threads (as their task executor preference, so its child tasks and the
    /// default actors it calls run there too), away from the request path. The default is `false`.
    var isCPUHeavy: Bool { get }
}

extension FunctionHandler {
    public var isCPUHeavy: Bool { false }
}

/// A handler from a closure, for small built-in functions and tests.
public struct ClosureHandler: FunctionHandler {
    private let body: @Sendable (FunctionRequest, FunctionContext) async throws -> FunctionResponse

    /// Wraps `body` as a handler.
    public init(_ body: @escaping @Sendable (FunctionRequest, FunctionContext) async throws -> FunctionResponse) {
        self.body = body
    }

    public func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try await body(request, context)
    }
}

/// Long-running work a bundle needs beside its handlers (a cache refresher, a buffered writer).
///
/// The host runs `run()` for the life of the process and calls `shutdown()` after the HTTP server has drained,
/// so buffered data is flushed before exit.
public protocol BackgroundTask: Sendable {
    /// A short name for logs.
    var name: String { get }
    /// Gets ready before the server takes traffic (loads the serving models); the default does nothing.
    func prepare() async
    /// Runs until the task is cancelled.
    func run() async throws
    /// Flushes whatever is buffered; called once on graceful shutdown.
    func shutdown() async
}

extension BackgroundTask {
    public func prepare() async {}
}
