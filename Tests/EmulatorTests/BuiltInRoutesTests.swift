import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The host's own endpoints answer misses exactly as before they shared the router: the statuses, JSON bodies and
/// `Allow` headers clients see.
@Suite("built-in endpoints: methods, 404 and 405")
struct BuiltInRoutesTests {
    let host = InProcessHostTests()
    /// The scheduler's endpoints check the admin key before anything else (503 without one, 401 without it).
    let key = ["MODEL_ADMIN_API_KEY": "k3y"]

    @Test(arguments: [
        ("POST", "/metrics", "GET, HEAD"),
        ("DELETE", "/openapi.yaml", "GET, HEAD"),
        ("POST", "/_scheduler/jobs", "GET"),
        ("HEAD", "/_scheduler/jobs", "GET"),
        ("GET", "/_scheduler/jobs/healthz/run", "POST"),
    ])
    func wrongMethodsAreJSON405sWithAllow(method: String, path: String, allow: String) async throws {
        try await host.withApp(environment: key) { client in
            let response = try await client.execute(
                uri: path, method: HTTPRequest.Method(method)!, headers: [.xAPIKey: "k3y"])
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == allow)
            if method != "HEAD" { #expect(try InProcessHostTests.error(response).code == "method_not_allowed") }
        }
    }

    @Test(arguments: [
        ("/_scheduler", "no built-in serves GET /_scheduler"),
        ("/_scheduler/jobs/healthz", "no built-in serves GET /_scheduler/jobs/healthz"),
        ("/_console/functions", "no built-in serves GET /_console/functions"),
        ("/metrics/", "no function serves GET /metrics/"),
    ])
    func unknownPathsAreJSON404s(path: String, message: String) async throws {
        try await host.withApp(environment: key) { client in
            let response = try await client.execute(uri: path, method: .get, headers: [.xAPIKey: "k3y"])
            #expect(response.status == .notFound)
            #expect(try InProcessHostTests.error(response) == ("not_found", message))
        }
    }

    @Test func openAPIIsServedAndHeadHasItsLength() async throws {
        try await host.withApp { client in
            let get = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(get.status == .ok)
            #expect(get.headers[.contentType] == "application/yaml")
            let head = try await client.execute(uri: "/openapi.yaml", method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
        }
    }
}
