import Emulator
import Foundation
import FunctionRuntime
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import Console

/// The console finds the functions it reads and drives by their handler, so `functions.yaml` may route them
/// anywhere: with every route renamed, each page and button still works and the old paths are gone.
@Suite("console with renamed routes")
struct ConsoleRenamedRoutesTests {
    static let renamed = [
        ("GET /healthz", "GET /v2/health"),
        ("POST /recommendations", "POST /v2/rides/recommendations"),
        ("GET /traces/{requestId}", "GET /v2/traces/{requestId}"),
        ("GET /admin/models", "GET /v2/models"),
        ("POST /admin/switch-model", "POST /v2/models/serving"),
        ("POST /admin/rollback", "POST /v2/models/serving/rollback"),
        ("GET /experiments/{experimentId}/summary", "GET /v2/ab/{experimentId}"),
        ("GET /experiments/{experimentId}/timeline", "GET /v2/ab/{experimentId}/hours"),
        ("GET /admin/experiments", "GET /v2/experiments"),
        ("POST /admin/experiments", "POST /v2/experiments"),
        ("GET /admin/experiments/{experimentId}", "GET /v2/experiments/{experimentId}"),
        ("POST /admin/experiments/{experimentId}/start", "POST /v2/experiments/{experimentId}/start"),
        ("POST /admin/experiments/{experimentId}/stop", "POST /v2/experiments/{experimentId}/stop"),
        ("GET /admin/shadow", "GET /v2/shadow"),
        ("POST /admin/shadow", "POST /v2/shadow"),
        ("DELETE /admin/shadow", "DELETE /v2/shadow"),
        ("GET /admin/shadow/summary", "GET /v2/shadow/summary"),
        ("POST /train", "POST /v2/training-runs"),
    ]

    static var manifest: String {
        renamed.reduce(ConsoleFixture.manifest) { text, rename in
            text.replacingOccurrences(of: "http: \(rename.0)\n", with: "http: \(rename.1)\n")
        }
    }

    @Test func everyPageAndActionWorksWhenFunctionsYamlRenamesTheRoutes() async throws {
        #expect(!Self.manifest.contains("/admin/"), "every route the console uses is renamed")
        try await ConsoleFixture.with(manifest: Self.manifest) { fixture in
            try await fixture.seedModels()
            let recommended = await fixture.console.api.call(
                "recommend", body: Data(#"{"userId":"rider-0001","limit":3}"#.utf8))
            #expect(recommended.status == 200)
            let requestId = try #require(recommended.headers["X-Request-Id"])
            try await fixture.withApp { client in
                let old = try await client.execute(uri: "/admin/models", method: .get)
                #expect(old.status == .notFound, "the manifest no longer serves the old path")

                let models = try await page(client, fixture, "/_console/models")
                #expect(models.status == .ok)
                #expect(models.html.contains(#"<tr data-version="v0.2.0">"#))

                let switched = try await client.execute(
                    uri: "/_console/actions/switch/treatment/v0.1.0", method: .post, headers: fixture.actionHeaders)
                #expect(switched.status == .ok)
                let message = try #require(try ConsoleFixture.json(switched)["message"] as? String)
                #expect(message.contains("treatment v0.1.0"))
                let rolledBack = try await client.execute(
                    uri: "/_console/actions/rollback", method: .post, headers: fixture.actionHeaders)
                #expect(rolledBack.status == .ok)

                let trace = try await page(client, fixture, "/_console/traces/\(requestId)")
                #expect(trace.status == .ok)
                #expect(trace.html.contains("<dt>User</dt><dd><code>rider-0001</code></dd>"))

                let list = try await page(client, fixture, "/_console/experiments")
                #expect(list.html.contains(#"<tr data-experiment="rec-engine" data-status="running">"#))
                let created = try await client.execute(
                    uri: "/_console/actions/experiments/renamed-1/create/ab/-/-/-", method: .post,
                    headers: fixture.actionHeaders)
                #expect(created.status == .ok)
                let experiments = try await page(client, fixture, "/_console/experiments/rec-engine/6")
                #expect(experiments.status == .ok)
                #expect(!experiments.html.contains(#"class="error""#), "summary and timeline were read")
                #expect(!experiments.html.contains(#"id="timeline-missing""#))

                let shadowStarted = try await client.execute(
                    uri: "/_console/actions/shadow/start/v0.1.0/all/50", method: .post, headers: fixture.actionHeaders)
                #expect(shadowStarted.status == .ok)
                let shadow = try await page(client, fixture, "/_console/shadow")
                #expect(shadow.status == .ok)
                #expect(shadow.html.contains(#"<dd id="shadow-version"><code>v0.1.0</code></dd>"#))
                #expect(shadow.html.contains(#"<table id="shadow-summary">"#), "the summary was read")
                #expect(!shadow.html.contains(#"class="error""#))
                let shadowEnded = try await client.execute(
                    uri: "/_console/actions/shadow/stop", method: .post, headers: fixture.actionHeaders)
                #expect(shadowEnded.status == .ok)
            }
        }
    }

    private func page(
        _ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String
    ) async throws -> (status: HTTPResponse.Status, html: String) {
        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
        return (response.status, ConsoleFixture.text(response))
    }
}
