import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `rideease serve` as a process: the console's flag, its production guard, and the Logs page fed by the real logger.
@Suite("the console in the rideease binary", .serialized)
struct ConsoleBinaryTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml")
        )
    }

    /// A client that neither keeps nor sends cookies by itself: the tests decide what the "browser" holds.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()

    func request(
        _ port: Int, _ path: String, method: String = "GET", headers: [String: String] = [:]
    ) async throws -> (status: Int, headers: [AnyHashable: Any], body: String) {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.allHeaderFields, String(decoding: data, as: UTF8.self))
    }

    @Test func aSignedInBrowserSeesTheServersOwnLogLinesButNeverTheKey() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = "binary-console-key-\(UUID().uuidString)"
        let server = try RideEaseProcess(
            ["serve", "--port", "0", "--host", "127.0.0.1", "--no-schedule"],
            environment: ["MODEL_ADMIN_API_KEY": key], directory: directory)
        let port = try await server.waitForPort()
        let signIn = try await request(
            port, "/_console/session", method: "POST", headers: ["x-api-key": key, "X-RideEase-Console": "1"])
        #expect(signIn.status == 200)
        let setCookie = try #require(signIn.headers["Set-Cookie"] as? String)
        let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
        let health = try await request(port, "/healthz")
        let requestId = try #require(health.headers["X-Request-Id"] as? String)
        let logs = try await request(port, "/_console/logs/healthz/\(requestId)", headers: ["Cookie": cookie])
        #expect(logs.status == 200)
        #expect(logs.body.contains("<td>function invoked</td>"), "the logger's own line reached the ring")
        #expect(logs.body.components(separatedBy: "<tr data-severity=").count - 1 == 1)
        let signedOut = try await request(port, "/_console/logs")
        #expect(signedOut.body.contains(#"id="sign-in""#))
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
        #expect(server.stdout.contains(#""message":"console on""#))
        #expect(!server.stdout.contains(key) && !server.stderr.contains(key), "the key is never logged")
        #expect(!server.stdout.contains(cookie), "nor the session")
    }

    @Test func noConsoleTurnsItOff() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try RideEaseProcess(
            ["serve", "--port", "0", "--host", "127.0.0.1", "--no-schedule", "--no-console"], directory: directory)
        let port = try await server.waitForPort()
        let console = try await request(port, "/_console/functions")
        #expect(console.status == 404)
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
        #expect(!server.stdout.contains(#""message":"console on""#))
    }

    @Test func onCloudRunTheConsoleIsOffAndRefusesToOpenWithoutAKey() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = try await RideEaseProcess.run(
            ["serve", "--port", "0", "--host", "127.0.0.1", "--no-schedule", "--console"],
            environment: ["K_SERVICE": "rideease"], directory: directory)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--console on Cloud Run needs MODEL_ADMIN_API_KEY"))
        let server = try RideEaseProcess(
            ["serve", "--port", "0", "--host", "127.0.0.1", "--no-schedule"],
            environment: ["K_SERVICE": "rideease"], directory: directory)
        let port = try await server.waitForPort()
        #expect(try await request(port, "/_console/functions").status == 404, "off by default on Cloud Run")
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
    }
}
