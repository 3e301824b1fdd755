import Emulator
import Foundation
import FunctionRuntime
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Console

/// The read-only viewer key in the console: it signs in to the trace pages and nothing else.
@Suite("console sessions with the viewer key")
struct ConsoleViewerTests {
    static let consoleHeader = HTTPField.Name("X-RideEase-Console")!
    static let viewerKey = "viewer-\(UUID().uuidString)"

    func signIn(_ client: any TestClientProtocol, key: String) async throws -> (HTTPResponse.Status, String?) {
        let response = try await client.execute(
            uri: "/_console/session", method: .post, headers: [Self.consoleHeader: "1", .xAPIKey: key])
        let cookie = response.headers[.setCookie]?.split(separator: ";").first.map(String.init)
        return (response.status, cookie)
    }

    @Test func aViewerSessionOpensTheTracePagesOnly() async throws {
        try await ConsoleFixture.with(viewerKey: Self.viewerKey) { fixture in
            try await fixture.withApp { client in
                let (status, signedIn) = try await signIn(client, key: Self.viewerKey)
                #expect(status == .ok)
                let cookie = try #require(signedIn)
                #expect(!cookie.contains(Self.viewerKey), "the cookie holds a token, never the key")
                let traces = try await client.execute(uri: "/_console/traces", method: .get, headers: [.cookie: cookie])
                #expect(traces.status == .ok)
                #expect(!ConsoleFixture.text(traces).contains(#"type="password""#))
                let models = try await client.execute(uri: "/_console/models", method: .get, headers: [.cookie: cookie])
                #expect(models.status == .forbidden)
                let html = ConsoleFixture.text(models)
                #expect(html.contains("the viewer key opens the trace pages only"))
                #expect(!html.contains(#"<table id="models">"#))
                let rollback = try await client.execute(
                    uri: "/_console/actions/rollback", method: .post,
                    headers: [Self.consoleHeader: "1", .cookie: cookie])
                #expect(rollback.status == .forbidden)
                #expect(try ConsoleFixture.error(rollback).message.hasPrefix("the viewer key is read-only"))
            }
        }
    }

    @Test func withoutASessionTheTracePagesAskForAKey() async throws {
        try await ConsoleFixture.with(viewerKey: Self.viewerKey) { fixture in
            try await fixture.withApp { client in
                let page = try await client.execute(uri: "/_console/traces", method: .get)
                #expect(ConsoleFixture.text(page).contains(#"<label for="key">Admin or viewer key</label>"#))
                let (status, cookie) = try await signIn(client, key: "not-a-key")
                #expect(status == .unauthorized)
                #expect(cookie == nil)
            }
        }
    }

    @Test func withNoKeyAtAllTheTracePagesAreClosedWhileTheOthersStayOpen() async throws {
        try await ConsoleFixture.with(adminKey: nil) { fixture in
            try await fixture.withApp { client in
                let traces = try await client.execute(uri: "/_console/traces", method: .get)
                #expect(traces.status == .serviceUnavailable)
                #expect(ConsoleFixture.text(traces).contains("trace reading disabled"))
                let models = try await client.execute(uri: "/_console/models", method: .get)
                #expect(models.status == .ok)
            }
        }
    }
}
