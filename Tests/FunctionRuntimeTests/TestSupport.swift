import Foundation
import FunctionRuntime
import Logging
import MetricsTestKit
import Scheduler
import Storage

/// A fresh folder under the system temp dir, removed when the value is dropped by the test.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Builds an invoker over one function and handler, with a real file store and test metrics.
struct InvokerFixture {
    let directory: TemporaryDirectory
    let metrics = TestMetrics()
    let invoker: FunctionInvoker
    let function: FunctionDeclaration

    init(
        function: FunctionDeclaration,
        handler: any FunctionHandler,
        environment: [String: String] = [:],
        adminKey: String? = nil
    ) throws {
        directory = try TemporaryDirectory()
        self.function = function
        invoker = try FunctionInvoker(
            manifest: FunctionManifest(service: "test", functions: [function]),
            handlers: [function.handler: handler],
            storage: try FileStore(root: directory.url),
            clock: SystemWallClock(),
            metricsFactory: metrics,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            environment: environment,
            adminKey: adminKey.map(AdminKey.init)
        )
    }

    func invoke(_ request: FunctionRequest = FunctionRequest(), checkAuth: Bool = true) async -> FunctionResponse {
        await invoker.invoke(function, request: request, checkAuth: checkAuth)
    }
}

/// The `{"error":{"code","message"}}` body of an error response.
struct ErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
    }
    var error: Detail
}

extension FunctionResponse {
    func decodedError() throws -> ErrorBody {
        try JSONDecoder().decode(ErrorBody.self, from: body)
    }
}
