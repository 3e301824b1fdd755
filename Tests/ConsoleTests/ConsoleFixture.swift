import Emulator
import Foundation
import FunctionRuntime
import Functions
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Recommender
import Storage
import Testing

@testable import Console

/// A console on a real application in process: a manifest with every function the console reads, a file store in
/// a temporary folder, and a log ring the tests fill.
struct ConsoleFixture: Sendable {
    static let adminKey = "console-test-key"

    static let manifest = """
        service: rideease
        adminKeySecret: MODEL_ADMIN_API_KEY
        functions:
          healthz:
            handler: healthz
            description: Liveness <and> readiness
            http: GET /healthz
            schedule:
              cron: "0 3 * * *"
              timeZone: Europe/Lisbon
          recommendations:
            handler: recommend
            http: POST /recommendations
          traces:
            handler: getTrace
            http: GET /traces/{requestId}
          admin-models:
            handler: listModels
            http: GET /admin/models
            auth: adminKey
          admin-switch-model:
            handler: switchModel
            http: POST /admin/switch-model
            auth: adminKey
          admin-rollback:
            handler: rollbackModel
            http: POST /admin/rollback
            auth: adminKey
          experiment-summary:
            handler: experimentSummary
            http: GET /experiments/{experimentId}/summary
          experiment-timeline:
            handler: experimentTimeline
            http: GET /experiments/{experimentId}/timeline
          admin-experiments:
            handler: listExperiments
            http: GET /admin/experiments
            auth: adminKey
          admin-create-experiment:
            handler: createExperiment
            http: POST /admin/experiments
            auth: adminKey
          admin-experiment:
            handler: getExperiment
            http: GET /admin/experiments/{experimentId}
            auth: adminKey
          admin-start-experiment:
            handler: startExperiment
            http: POST /admin/experiments/{experimentId}/start
            auth: adminKey
          admin-stop-experiment:
            handler: stopExperiment
            http: POST /admin/experiments/{experimentId}/stop
            auth: adminKey
          admin-shadow:
            handler: getShadow
            http: GET /admin/shadow
            auth: adminKey
          admin-start-shadow:
            handler: startShadow
            http: POST /admin/shadow
            auth: adminKey
          admin-stop-shadow:
            handler: stopShadow
            http: DELETE /admin/shadow
            auth: adminKey
          admin-shadow-summary:
            handler: shadowSummary
            http: GET /admin/shadow/summary
            auth: adminKey
          events:
            handler: ingestEvents
            http: POST /events
          train:
            handler: train
            http: POST /train
            auth: adminKey
            env: [PIPELINE_GIT_SHA]
        """

    let directory: URL
    let runtime: EmulatorRuntime
    let logs: RecentLogLines
    let console: Console

    /// Runs `body` with a fresh fixture (admin key configured unless `adminKey` is `nil`) and removes its folder.
    static func with(
        adminKey: String? = ConsoleFixture.adminKey,
        manifest: String = ConsoleFixture.manifest,
        viewerKey: String? = nil,
        _ body: @Sendable (ConsoleFixture) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifestURL = directory.appendingPathComponent("functions.yaml")
        try Data(manifest.utf8).write(to: manifestURL)
        var environment = ["PIPELINE_GIT_SHA": "feedc0ffee"]
        environment["MODEL_ADMIN_API_KEY"] = adminKey
        environment["RIDEEASE_VIEWER_KEY"] = viewerKey
        let runtime = try EmulatorRuntime.make(
            manifestPath: manifestURL.path,
            storageLocation: directory.appendingPathComponent("data").path,
            environment: environment,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            metricsFactory: PrometheusExporter(descriptions: FunctionCatalog.metricDescriptions)
        )
        let logs = RecentLogLines(capacity: 100)
        try await body(
            ConsoleFixture(
                directory: directory, runtime: runtime, logs: logs, console: Console(runtime: runtime, logs: logs)))
    }

    /// Runs `body` against the application `rideease serve` builds, with this console.
    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let exporter = PrometheusExporter(descriptions: FunctionCatalog.metricDescriptions)
        let app = buildApplication(
            runtime: runtime, exporter: exporter, host: "127.0.0.1", port: 0,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), console: console)
        try await app.test(.router) { client in try await body(client) }
    }

    /// Rides of a small simulated world, then two registered models (v0.1.0 and v0.2.0, popularity: fast), loaded.
    func seedModels() async throws {
        var configuration = RideWorldConfiguration()
        configuration.riders = 60
        configuration.places = 30
        configuration.days = 10
        let events = try RideWorld(configuration: configuration).rides().map(RideEvent.init(ride:))
        try await EventLog(store: runtime.storage).append(events)
        for _ in 0..<2 {
            let trained = await console.api.call("train", body: Data(#"{"algorithm":"popularity"}"#.utf8))
            try #require(trained.status == 200, "\(String(decoding: trained.body, as: UTF8.self))")
        }
        for task in runtime.bundle.backgroundTasks { await task.prepare() }
    }

    /// A `Cookie` header with a valid session.
    var sessionCookie: String {
        let token = AdminKey(Self.adminKey).sessionToken(issuedAt: Date())
        return "\(ConsoleSession.cookieName)=\(token)"
    }

    /// Headers of a console page's own `fetch`: the session and the console's marker header.
    var actionHeaders: HTTPFields {
        [
            .cookie: sessionCookie, HTTPField.Name("X-RideEase-Console")!: "1",
            HTTPField.Name("Sec-Fetch-Site")!: "same-origin",
        ]
    }

    static func text(_ response: TestResponse) -> String {
        String(buffer: response.body)
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    /// The `{"error":{"code","message"}}` envelope of a refused request.
    static func error(_ response: TestResponse) throws -> (code: String, message: String) {
        struct Envelope: Decodable {
            struct Detail: Decodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        let envelope = try JSONDecoder().decode(Envelope.self, from: Data(buffer: response.body))
        return (envelope.error.code, envelope.error.message)
    }
}

extension HTTPField.Name {
    static let xAPIKey = Self("x-api-key")!
}
