import Emulator
import Foundation
import FunctionRuntime
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Recommender
import Testing

@testable import Console

/// Signing in, and the buttons: switch, rollback and run now go through the admin functions and the scheduler,
/// only from the console's own pages and only with a session.
@Suite("console sign-in and actions")
struct ConsoleActionsTests {
    static let consoleHeader = HTTPField.Name("X-RideEase-Console")!

    @Test func withoutASessionPagesAskForTheKeyAndShowNoData() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                for cookie in [nil, "rideease_console=123.abc", "rideease_console=\(ConsoleFixture.adminKey)"] {
                    var headers = HTTPFields()
                    if let cookie { headers[.cookie] = cookie }
                    let response = try await client.execute(uri: "/_console/models", method: .get, headers: headers)
                    #expect(response.status == .ok)
                    let html = ConsoleFixture.text(response)
                    #expect(html.contains(#"<label for="key">Admin or viewer key</label>"#))
                    #expect(html.contains(#"type="password""#))
                    #expect(!html.contains(#"<table id="models">"#))
                }
            }
        }
    }

    @Test func signingInSetsAStrictSessionCookieThatOpensThePages() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let wrong = try await client.execute(
                    uri: "/_console/session", method: .post,
                    headers: [Self.consoleHeader: "1", .xAPIKey: "not-the-key"])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.headers[.setCookie] == nil)
                let forged = try await client.execute(
                    uri: "/_console/session", method: .post, headers: [.xAPIKey: ConsoleFixture.adminKey])
                #expect(forged.status == .forbidden, "a cross-site form cannot sign a browser in")
                let right = try await client.execute(
                    uri: "/_console/session", method: .post,
                    headers: [Self.consoleHeader: "1", .xAPIKey: ConsoleFixture.adminKey])
                #expect(right.status == .ok)
                let setCookie = try #require(right.headers[.setCookie])
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
                #expect(!setCookie.contains(ConsoleFixture.adminKey))
                let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
                let page = try await client.execute(uri: "/_console/models", method: .get, headers: [.cookie: cookie])
                #expect(page.status == .ok)
                let out = try await client.execute(
                    uri: "/_console/session/end", method: .post, headers: [Self.consoleHeader: "1", .cookie: cookie])
                #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
                let get = try await client.execute(uri: "/_console/session", method: .get)
                #expect(get.status == .methodNotAllowed)
            }
        }
    }

    @Test func switchAndRollbackChangeTheDeploymentThroughTheAdminFunctions() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            let deployments = DeploymentStore(store: fixture.runtime.storage)
            try await fixture.withApp { client in
                let switched = try await client.execute(
                    uri: "/_console/actions/switch/treatment/v0.1.0", method: .post, headers: fixture.actionHeaders)
                #expect(switched.status == .ok)
                let message = try #require(try ConsoleFixture.json(switched)["message"] as? String)
                #expect(message.contains("treatment v0.1.0"))
                let current = try #require(try await deployments.current("rec-engine")?.0)
                #expect(current.versions["treatment"]?.description == "v0.1.0")
                let audit = try await fixture.runtime.storage.list(
                    prefix: "audit/deployments/", continuationToken: nil, maxKeys: 10)
                #expect(!audit.objects.isEmpty, "the switch is audited like an API switch")

                let page = try await client.execute(
                    uri: "/_console/models", method: .get, headers: [.cookie: fixture.sessionCookie])
                let row = try #require(
                    ConsoleFixture.text(page).components(separatedBy: #"<tr data-version="v0.1.0">"#).last)
                #expect(row.prefix(200).contains(#"<span class="badge">treatment</span>"#))

                let unknown = try await client.execute(
                    uri: "/_console/actions/switch/treatment/v9.9.9", method: .post, headers: fixture.actionHeaders)
                #expect(unknown.status == .notFound)
                let badTarget = try await client.execute(
                    uri: "/_console/actions/switch/nobody/v0.1.0", method: .post, headers: fixture.actionHeaders)
                #expect(badTarget.status == .badRequest)

                let rolledBack = try await client.execute(
                    uri: "/_console/actions/rollback", method: .post, headers: fixture.actionHeaders)
                #expect(rolledBack.status == .ok)
                let after = try #require(try await deployments.current("rec-engine")?.0)
                #expect(after.versions["treatment"] != ModelVersion("v0.1.0"))
                #expect(after.generation == current.generation + 1)
            }
        }
    }

    @Test func runNowRunsTheScheduledFunctionOnce() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let run = try await client.execute(
                    uri: "/_console/actions/run/healthz", method: .post, headers: fixture.actionHeaders)
                #expect(run.status == .ok)
                let message = try #require(try ConsoleFixture.json(run)["message"] as? String)
                #expect(message.hasPrefix("healthz succeeded in "))
                let runs = try await fixture.runtime.scheduled.runner.status().first?.recentRuns ?? []
                #expect(runs.map(\.trigger) == [.manual])
                let unknown = try await client.execute(
                    uri: "/_console/actions/run/nope", method: .post, headers: fixture.actionHeaders)
                #expect(unknown.status == .notFound)
                let get = try await client.execute(uri: "/_console/actions/run/healthz", method: .get)
                #expect(get.status == .methodNotAllowed)
            }
        }
    }

    @Test func actionsNeedTheConsolesHeaderAndASession() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let crossSite = try await client.execute(
                    uri: "/_console/actions/run/healthz", method: .post,
                    headers: [
                        .cookie: fixture.sessionCookie, Self.consoleHeader: "1",
                        HTTPField.Name("Sec-Fetch-Site")!: "cross-site",
                    ])
                #expect(crossSite.status == .forbidden)
                let noHeader = try await client.execute(
                    uri: "/_console/actions/rollback", method: .post, headers: [.cookie: fixture.sessionCookie])
                #expect(noHeader.status == .forbidden)
                let noSession = try await client.execute(
                    uri: "/_console/actions/rollback", method: .post, headers: [Self.consoleHeader: "1"])
                #expect(noSession.status == .unauthorized)
                #expect(try await fixture.runtime.scheduled.runner.status().first?.recentRuns.isEmpty == true)
            }
        }
    }
}
