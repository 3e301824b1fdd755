import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real binary over real sockets and signals: what `rideease serve` does as a process.
@Suite("the rideease binary", .serialized)
struct BinaryTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml")
        )
    }

    @Test func sigtermFinishesTheRequestInFlightThenExits() async throws {
        let server = try RideEaseProcess(["serve", "--port", "0", "--no-schedule"], directory: directory)
        let port = try await server.waitForPort()
        let connection = try RawConnection(port: port)
        let body = #"{"events":[]}"#
        connection.send(
            "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(5)
        )
        // The request is now in flight: its body has only started to arrive.
        try await Task.sleep(for: .milliseconds(300))
        server.signal(SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.process.isRunning, "the server must wait for the request in flight")
        connection.send(String(body.dropFirst(5)))
        let response = connection.readResponse()
        #expect(response.hasPrefix("HTTP/1.1 "), "a complete answer, not a reset: \(response)")
        #expect(response.lowercased().contains("x-request-id: "))
        #expect(response.contains(#"{"error":{"code":"#) || response.contains("{"))
        let status = try await server.waitForExit(timeout: .seconds(10))
        #expect(status == 0, "stdout: \(server.stdout) stderr: \(server.stderr)")
        #expect(server.stdout.contains(#""message":"stopped""#))
    }

    @Test func servesJSONLogsWithRequestIds() async throws {
        let server = try RideEaseProcess(
            ["serve", "--port", "0"],
            environment: ["GOOGLE_CLOUD_PROJECT": "demo-project"],
            directory: directory
        )
        let port = try await server.waitForPort()
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/healthz")!)
        let requestId = "0190e0a0-1234-7abc-8def-0123456789ab"
        request.setValue(requestId, forHTTPHeaderField: "X-Request-Id")
        request.setValue("105445aa7843bc8bf206b12000100000/1;o=1", forHTTPHeaderField: "X-Cloud-Trace-Context")
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "X-Request-Id") == requestId)
        #expect(String(decoding: data, as: UTF8.self).contains(#""status":"ok""#))
        server.signal(SIGINT)
        #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
        let line = try #require(server.stdout.split(separator: "\n").first { $0.contains(requestId) })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["severity"] as? String == "INFO")
        #expect(object["message"] as? String == "function invoked")
        #expect(object["function"] as? String == "healthz")
        #expect(object["time"] is String)
        #expect(
            object["logging.googleapis.com/trace"] as? String
                == "projects/demo-project/traces/105445aa7843bc8bf206b12000100000"
        )
        // Admin functions are closed by default, and the log says how to open them.
        #expect(server.stdout.contains(#""message":"admin API disabled""#))
    }

    @Test func invokeRunsOneFunctionWithoutAServer() async throws {
        let result = try await RideEaseProcess.run(["invoke", "healthz"], directory: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(#""status":"ok""#))
        #expect(result.stderr.contains("status 200"))
    }

    @Test func invokeOfAnUnknownFunctionFailsClearly() async throws {
        let result = try await RideEaseProcess.run(["invoke", "nope"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"rideease: no function named "nope"; the manifest declares: healthz"#))
    }

    @Test func invokeNeedsThePathParameters() async throws {
        let result = try await RideEaseProcess.run(["invoke", "traces"], directory: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--param requestId="))
    }

    @Test func badManifestIsReportedWithFileLineColumn() async throws {
        try Data("service: rideease\nfunctions:\n  train:\n    handler: train\n    schedule: \"*/61 * * * *\"\n".utf8)
            .write(to: directory.appendingPathComponent("bad.yaml"))
        let result = try await RideEaseProcess.run(["serve", "--manifest", "bad.yaml"], directory: directory)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                #"rideease: bad.yaml:5:18: schedule "*/61 * * * *": minute 61 is out of range 0-59"#),
            "\(result.stderr)"
        )
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func badStorageLocationIsAStartupError() async throws {
        let result = try await RideEaseProcess.run(
            ["invoke", "healthz", "--storage", "ftp://nowhere"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("rideease: RIDEEASE_STORAGE: "), "\(result.stderr)")
    }

    @Test func functionsListsRoutesAndNextFireTimes() async throws {
        let result = try await RideEaseProcess.run(["functions", "--json"], directory: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let functions = try #require(listing["functions"] as? [[String: Any]])
        let train = try #require(functions.first { $0["name"] as? String == "train" })
        #expect(train["schedule"] as? String == "0 2 * * 0")
        let next = try #require(train["nextRuns"] as? [String])
        #expect(next.count == 3)
        let dates = next.compactMap { ISO8601DateFormatter().date(from: $0) }
        #expect(dates.count == 3)
        for date in dates {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            #expect(calendar.component(.weekday, from: date) == 1, "Sunday")
            #expect(calendar.component(.hour, from: date) == 2)
        }
        let table = try await RideEaseProcess.run(["functions"], directory: directory)
        #expect(table.stdout.contains("http      POST /recommendations"))
        #expect(table.stdout.contains("schedule  \"0 2 * * 0\" UTC"))
    }

    @Test func jobsRunRecordsAManualRun() async throws {
        let run = try await RideEaseProcess.run(["jobs", "run", "train"], directory: directory)
        // There are no events yet: the run is recorded as failed with the handler's reason.
        #expect(run.status == 1)
        #expect(run.stdout.contains(#""trigger" : "manual""#), "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("status 400: snapshot snap-"), "\(run.stdout)")
        #expect(run.stdout.contains("has no ride events"))
        let list = try await RideEaseProcess.run(["jobs"], directory: directory)
        #expect(list.status == 0)
        #expect(list.stdout.contains(#""name" : "train""#))
        #expect(list.stdout.contains(#""recentRuns" : ["#))
    }
}

/// The operator commands a data scientist runs: import, simulate, train, evaluate.
@Suite("the rideease operator commands")
struct OperatorCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func importTrainAndExportAMovieLensStyleFile() async throws {
        var csv = "userId,movieId,rating,timestamp\n"
        for user in 1...40 {
            for step in 0..<12 {
                csv += "\(user),\((user * 7 + step * 3) % 50),4,\(1_700_000_000 + user * 100 + step)\n"
            }
        }
        csv += "41,,5,1700000000\n"  // a row without an item
        try Data(csv.utf8).write(to: directory.appendingPathComponent("ratings.csv"))
        let imported = try await RideEaseProcess.run(["events", "import", "ratings.csv"], directory: directory)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains(#"{"imported":480,"duplicates":0,"rejected":1}"#), "\(imported.stdout)")
        #expect(imported.stderr.contains("ratings.csv: itemId is required: 1 row (line 482)"), "\(imported.stderr)")
        let trained = try await RideEaseProcess.run(["train", "--no-tune"], directory: directory)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("final fit iteration 1"), "progress per iteration: \(trained.stderr)")
        #expect(trained.stdout.contains(#""version" : "v0.1.0""#))
        let evaluated = try await RideEaseProcess.run(
            ["eval", "--algorithm", "popularity", "--export", "rows.jsonl", "--export-split", "split.jsonl"],
            directory: directory)
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let rows = try String(contentsOf: directory.appendingPathComponent("rows.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(rows.count == 40)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(rows[0].utf8)) as? [String: Any])
        #expect(first["userId"] is String)
        #expect(first["heldOut"] is String)
        #expect((first["recommendations"] as? [String])?.count == 10)
        let split = try String(contentsOf: directory.appendingPathComponent("split.jsonl"), encoding: .utf8)
        #expect(split.components(separatedBy: #""part":"test""#).count - 1 == 40)
        #expect(split.components(separatedBy: #""part":"train""#).count - 1 == 480 - 40)  // one hold-out: no tuning

        // Replay: nothing was served here, so no trace to use — said, not guessed; bad arguments are clear errors.
        let replayed = try await RideEaseProcess.run(
            ["eval", "--replay", "--version", "v0.1.0", "--window", "1d"], directory: directory)
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(replayed.stdout.contains(#""traces" : 0"#) && replayed.stdout.contains(#""usable" : 0"#))
        for (arguments, message) in [
            (["--replay"], "--replay needs --version"),
            (["--replay", "--version", "v0.1.0", "--window", "0d"], "--window must be like 7d or 36h"),
            (["--replay", "--version", "v9.9.9"], "v9.9.9"),
        ] {
            let refused = try await RideEaseProcess.run(["eval"] + arguments, directory: directory)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains(message), "\(refused.stderr)")
        }
    }

    @Test func aFileWithoutUsableColumnsIsRefused() async throws {
        try Data("a,b\n1,2\n".utf8).write(to: directory.appendingPathComponent("bad.csv"))
        let result = try await RideEaseProcess.run(["events", "import", "bad.csv"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains("the header must name a user and an item column"))
    }

    @Test func serveDemoSeedsAnEmptyStoreOnce() async throws {
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml")
        )
        let server = try RideEaseProcess(["serve", "--port", "0", "--demo"], directory: directory)
        _ = try await server.waitForPort(timeout: .seconds(120))
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
        #expect(server.stdout.contains(#""message":"demo data simulated""#))
        #expect(server.stdout.contains(#""message":"demo model trained""#))
        let models = try await RideEaseProcess.run(["invoke", "admin-models"], directory: directory)
        #expect(models.stdout.contains(#""version":"v0.1.0""#))
        let again = try RideEaseProcess(["serve", "--port", "0", "--demo"], directory: directory)
        _ = try await again.waitForPort()
        again.signal(SIGTERM)
        _ = try await again.waitForExit(timeout: .seconds(10))
        #expect(!again.stdout.contains("demo model trained"), "an existing model is kept")
    }
}
