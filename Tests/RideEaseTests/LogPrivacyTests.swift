import Foundation
import FunctionRuntime
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// No log line of the real binary names a rider unless a developer asks for it with `LOG_RIDER_IDS=true`, and then
/// only off Cloud Run.
@Suite("riders' ids stay out of the logs", .serialized)
struct LogPrivacyTests {
    static let rider = "rider-log-privacy-\(UUID().uuidString.prefix(8))"

    /// Serves the demo, sends the rider through every serving route, returns everything the process printed.
    func logs(extraEnvironment: [String: String]) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-logs-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml"))
        let server = try RideEaseProcess(
            ["serve", "--port", "0", "--demo", "--no-schedule"],
            environment: ["MODEL_ADMIN_API_KEY": "log-admin", "LOG_LEVEL": "debug"].merging(extraEnvironment) { $1 },
            directory: directory)
        defer { server.signal(SIGTERM) }
        let port = try await server.waitForPort(timeout: .seconds(180))
        let json = ["content-type": "application/json"]
        let answer = try RawExchange.send(
            port: port, method: "POST", path: "/recommendations", headers: json,
            body: Data(#"{"userId":"\#(Self.rider)","limit":3}"#.utf8))
        #expect(answer.status == 200)
        let requestId = try #require(answer.json?["requestId"] as? String)
        let events =
            #"{"events":[{"type":"ride","userId":"\#(Self.rider)","itemId":"place-0001"},"#
            + #"{"type":"conversion","userId":"\#(Self.rider)","itemId":"place-0001","requestId":"\#(requestId)"},"#
            + #"{"type":"ride","userId":"\#(Self.rider)"}]}"#
        let ingested = try RawExchange.send(
            port: port, method: "POST", path: "/events", headers: json, body: Data(events.utf8))
        #expect(ingested.status == 200, "one good ride, one conversion, one rejected event")
        let trace = try RawExchange.send(
            port: port, method: "GET", path: "/traces/\(requestId)", headers: ["x-api-key": "log-admin"])
        #expect(trace.status == 200)
        server.signal(SIGTERM)
        _ = try await server.waitForExit(timeout: .seconds(30))
        return server.stdout + server.stderr
    }

    @Test func noLineNamesTheRiderByDefault() async throws {
        let output = try await logs(extraEnvironment: [:])
        #expect(output.contains("\"prediction\"") || output.contains("prediction"), "the request was logged")
        #expect(!output.contains(Self.rider), "a log line carries the rider's id")
    }

    @Test func logRiderIdsAddsTheIdToThePredictionLine() async throws {
        let output = try await logs(extraEnvironment: ["LOG_RIDER_IDS": "true"])
        let lines = output.split(separator: "\n").filter { $0.contains("prediction") }
        #expect(lines.contains { $0.contains(Self.rider) }, "\(lines)")
    }

    @Test func cloudRunNeverLogsRiderIds() {
        #expect(FunctionInvoker.logsRiderIds(["LOG_RIDER_IDS": "true"]))
        #expect(!FunctionInvoker.logsRiderIds(["LOG_RIDER_IDS": "true", "K_SERVICE": "rideease"]))
        #expect(!FunctionInvoker.logsRiderIds(["LOG_RIDER_IDS": "1"]))
        #expect(!FunctionInvoker.logsRiderIds([:]))
    }
}
