import Foundation
import FunctionRuntime
import Logging
import MetricsTestKit
import Scheduler
import Storage
import Testing

@testable import Functions

/// The real bundle over a real file store in a temp folder, with handlers called directly through a test context.
final class HandlerFixture: @unchecked Sendable {
    let root: URL
    let store: FileStore
    let clock: VirtualClock
    let bundle: FunctionBundle
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let metrics = TestMetrics()
    private let ownsRoot: Bool

    /// The repository's `functions.yaml`: the bundle reads what its functions declare, as in production.
    static func repositoryManifest() throws -> FunctionManifest {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames)
            .load(path: root.appendingPathComponent("functions.yaml").path)
    }

    /// A fresh store, or another instance over `sharing`'s store and clock (a second Cloud Run instance: same world,
    /// same time, so a test crossing an hour boundary cannot split their tallies between hours); `environment` is
    /// the process environment, of which each handler sees what `manifest` (default: the repository's) declares;
    /// `shadowScoring` replaces how the shadow model scores (a failing or slow one, for fault injection).
    init(
        now: Date? = nil, sharing other: HandlerFixture? = nil, environment: [String: String] = [:],
        manifest: FunctionManifest? = nil, shadowScoring: @escaping ShadowScorer.Scoring = ShadowScorer.modelScoring
    ) throws {
        precondition(now == nil || other == nil, "an instance sharing a store shares its clock")
        if let other {
            root = other.root
            ownsRoot = false
        } else {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-fn-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            ownsRoot = true
        }
        store = try FileStore(root: root)
        clock = other?.clock ?? VirtualClock(now: now ?? Date())
        bundle = try FunctionCatalog.makeBundle(
            HandlerDependencies(
                storage: store, clock: clock, metricsFactory: metrics, logger: logger,
                configuration: HandlerConfiguration(
                    manifest: try manifest ?? Self.repositoryManifest(), environment: environment),
                instanceId: "test"),
            shadowScoring: shadowScoring
        )
    }

    /// Flushes buffered traces and events, as graceful shutdown does.
    func shutdown() async {
        for task in bundle.backgroundTasks { await task.shutdown() }
    }

    /// Brings the model server up to date with the store (the watcher's job, without waiting for it).
    func refresh() async {
        for task in bundle.backgroundTasks { await task.prepare() }
    }

    deinit { if ownsRoot { try? FileManager.default.removeItem(at: root) } }

    /// Calls handler `name` with `body` and returns the response (thrown `FunctionError`s become responses).
    func call(
        _ name: String,
        body: String = "",
        pathParameters: [String: String] = [:],
        query: [String: String] = [:],
        configuration: [String: String] = [:]
    ) async throws -> FunctionResponse {
        let handler = try #require(bundle.handlers[name])
        let context = FunctionContext(
            functionName: name,
            requestId: RequestID.generate(),
            logger: logger,
            storage: store,
            clock: clock,
            configuration: configuration,
            deadline: .now + .seconds(60)
        )
        do {
            let request = FunctionRequest(
                pathParameters: pathParameters, query: query, body: Data(body.utf8), requestId: context.requestId)
            return try await handler.handle(request, context: context)
        } catch let error as FunctionError {
            return error.response
        }
    }

    func json(_ response: FunctionResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }
}
