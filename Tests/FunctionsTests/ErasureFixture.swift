import Foundation
import FunctionRuntime
import Logging
import MetricsTestKit
import Scheduler
import Storage
import StorageTestSupport
import TestRequirements
import Testing

@testable import Functions

/// The backends the erasure tests run on: a folder, and a bucket on the shared moto server.
enum ErasureBackend: String, CaseIterable, Sendable {
    case file, s3

    /// A fresh, empty store of this backend (a temporary folder, or a new bucket).
    func makeStore() async throws -> any ObjectStore {
        switch self {
        case .file:
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-erase-\(UUID())")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            return try FileStore(root: root)
        case .s3:
            return try await SharedMoto.shared.get().makeStore(keyPrefix: "erasure")
        }
    }
}

/// The real bundle over any store, invoked through the real ``FunctionInvoker`` (admin key checks included) with
/// the repository's `functions.yaml`; several fixtures over one store are several instances.
final class ErasureFixture: Sendable {
    static let adminKey = "erasure-test-admin-key"

    let store: any ObjectStore
    let clock: VirtualClock
    let bundle: FunctionBundle
    let manifest: FunctionManifest
    let invoker: FunctionInvoker

    init(store: any ObjectStore, now: Date, environment: [String: String] = [:]) throws {
        self.store = store
        clock = VirtualClock(now: now)
        var manifest = try HandlerFixture.repositoryManifest()
        // These tests are about what an erasure leaves, not deadlines (the invoker's own tests cover those): with
        // the whole suite running beside them on two cores, a 30 s function timeout is not a bound they can keep.
        for index in manifest.functions.indices { manifest.functions[index].timeout = .seconds(600) }
        self.manifest = manifest
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        var environment = environment
        environment[ErasureSettings.settleVariable] = environment[ErasureSettings.settleVariable] ?? "0"
        let metrics = TestMetrics()
        bundle = try FunctionCatalog.makeBundle(
            HandlerDependencies(
                storage: store, clock: clock, metricsFactory: metrics, logger: logger,
                configuration: HandlerConfiguration(manifest: manifest, environment: environment),
                instanceId: "test-\(UUID())"))
        invoker = try FunctionInvoker(
            manifest: manifest, handlers: bundle.handlers, storage: store, clock: clock, metricsFactory: metrics,
            logger: logger, environment: environment, adminKey: AdminKey(Self.adminKey))
    }

    /// Invokes function `name` (as `functions.yaml` names it) with the admin key unless `key` says otherwise.
    func invoke(
        _ name: String, pathParameters: [String: String] = [:], body: String = "", key: String? = adminKey
    ) async throws -> FunctionResponse {
        let function = try #require(manifest.function(named: name))
        var headers: [String: String] = [:]
        if let key { headers["x-api-key"] = key }
        return await invoker.invoke(
            function,
            request: FunctionRequest(pathParameters: pathParameters, headers: headers, body: Data(body.utf8)))
    }

    /// The erasures this instance started in the background, waited for.
    func erasuresFinished() async throws {
        let runner = try #require(bundle.backgroundTasks.compactMap { $0 as? ErasureRunner }.first)
        await runner.waitUntilIdle()
    }

    func shutdown() async {
        for task in bundle.backgroundTasks { await task.shutdown() }
    }

    func refresh() async {
        for task in bundle.backgroundTasks { await task.prepare() }
    }

    static func json(_ response: FunctionResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    /// Every key in the store whose object holds `needle`.
    static func keys(in store: any ObjectStore, holding needle: String) async throws -> [String] {
        var found: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "", continuationToken: token, maxKeys: 1000)
            for object in page.objects {
                if let data = try await store.getLarge(object.key), data.range(of: Data(needle.utf8)) != nil {
                    found.append(object.key)
                }
            }
            token = page.continuationToken
        } while token != nil
        return found
    }
}
