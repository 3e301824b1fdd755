import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two real server processes sharing one store, as two Cloud Run instances share a bucket.
@Suite("a fleet of emulators sharing one store", .serialized)
struct FleetTests {
    let directory: URL
    let environment = ["MODEL_ADMIN_API_KEY": "fleet-key", "RIDEEASE_DEPLOYMENT_POLL_SECONDS": "0.2"]

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-fleet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml"))
        for arguments in [
            ["simulate", "--riders", "80", "--places", "40", "--days", "14"], ["train", "--algorithm", "popularity"],
            ["train", "--no-tune"],
        ] {
            let result = try await RideEaseProcess.run(arguments, directory: directory)
            try #require(result.status == 0, "\(arguments): \(result.stderr)")
        }
    }

    func start() async throws -> (RideEaseProcess, Int) {
        let server = try RideEaseProcess(
            ["serve", "--port", "0", "--no-schedule"], environment: environment, directory: directory)
        return (server, try await server.waitForPort())
    }

    func call(_ port: Int, _ method: String, _ path: String, body: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.setValue("fleet-key", forHTTPHeaderField: "x-api-key")
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    /// Polls `probe` every 50 ms until it holds or `limit` passes; returns the time it took.
    func eventually(within limit: Duration, _ probe: () async throws -> Bool) async throws -> Duration? {
        let started = ContinuousClock.now
        while started.duration(to: .now) < limit {
            if try await probe() { return started.duration(to: .now) }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test func aSwitchOnOneInstanceReachesTheOtherAndTracesSurviveRestarts() async throws {
        let (a, portA) = try await start()
        let (b, portB) = try await start()
        let (status, first) = try await call(portA, "POST", "/recommendations", body: #"{"userId":"rider-0001"}"#)
        #expect(status == 200)
        #expect(first["modelVersion"] as? String == "v0.2.0", "the first instance deploys the newest model")
        let requestId = try #require(first["requestId"] as? String)

        let (switched, _) = try await call(
            portA, "POST", "/admin/switch-model", body: #"{"version":"v0.1.0","target":"all"}"#)
        #expect(switched == 200)
        let converged = try await eventually(within: .seconds(5)) {
            try await call(portB, "POST", "/recommendations", body: #"{"userId":"rider-0001"}"#).1["modelVersion"]
                as? String == "v0.1.0"
        }
        #expect(converged != nil, "instance B must serve v0.1.0 within the 5 s interval")

        // A's trace reaches the store by group commit and is readable on B.
        let acrossInstances = try await eventually(within: .seconds(15)) {
            try await call(portB, "GET", "/traces/\(requestId)").0 == 200
        }
        #expect(acrossInstances != nil)

        // A trace written just before SIGTERM is flushed by the graceful shutdown, then found after a restart.
        let (_, last) = try await call(portB, "POST", "/recommendations", body: #"{"userId":"rider-0002"}"#)
        let lastId = try #require(last["requestId"] as? String)
        b.signal(SIGTERM)
        a.signal(SIGTERM)
        #expect(try await b.waitForExit(timeout: .seconds(10)) == 0)
        #expect(try await a.waitForExit(timeout: .seconds(10)) == 0)
        let (restarted, port) = try await start()
        let (found, trace) = try await call(port, "GET", "/traces/\(lastId)")
        #expect(found == 200)
        #expect(trace["modelVersion"] as? String == "v0.1.0")
        let (_, health) = try await call(port, "GET", "/healthz")
        #expect(health["models"] as? [String: String] == ["control": "v0.1.0", "treatment": "v0.1.0"])
        restarted.signal(SIGTERM)
        _ = try await restarted.waitForExit(timeout: .seconds(10))
    }
}
