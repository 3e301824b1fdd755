import Foundation
import FunctionRuntime
import Functions
import Logging
import MetricsTestKit
import Scheduler
import Storage
import Testing

/// The real bundle over a real file store in a temp folder, with handlers called directly through a test context.
final class HandlerFixture: @unchecked Sendable {
    let root: URL
    let store: FileStore
    let clock: VirtualClock
    let bundle: FunctionBundle
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    init(now: Date = Date(timeIntervalSince1970: 1_790_000_000)) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-fn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = try FileStore(root: root)
        clock = VirtualClock(now: now)
        bundle = try FunctionCatalog.makeBundle(
            HandlerDependencies(
                storage: store, clock: clock, metricsFactory: TestMetrics(), logger: logger, instanceId: "test")
        )
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Calls handler `name` with `body` and returns the response (thrown `FunctionError`s become responses).
    func call(_ name: String, body: String = "", configuration: [String: String] = [:]) async throws -> FunctionResponse
    {
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
            return try await handler.handle(FunctionRequest(body: Data(body.utf8)), context: context)
        } catch let error as FunctionError {
            return error.response
        }
    }

    func json(_ response: FunctionResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }
}
