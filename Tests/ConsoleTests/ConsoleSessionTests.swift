import Foundation
import FunctionRuntime
import Testing

@testable import Console

@Suite("console sessions: signed, expiring tokens in a strict cookie")
struct ConsoleSessionTests {
    let key = AdminKey("s3cret-admin-key")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aTokenIsValidForItsLifetimeOnly() {
        let token = key.sessionToken(issuedAt: now)
        #expect(key.isValidSession(token, now: now))
        #expect(key.isValidSession(token, now: now.addingTimeInterval(AdminKey.sessionLifetime - 1)))
        #expect(!key.isValidSession(token, now: now.addingTimeInterval(AdminKey.sessionLifetime)))
        #expect(!key.isValidSession(token, now: now.addingTimeInterval(-3600)), "issued in the future")
    }

    @Test func aTokenNeverContainsTheKeyAndDiesWithIt() {
        let token = key.sessionToken(issuedAt: now)
        #expect(!token.contains("s3cret"))
        #expect(!AdminKey("another-key").isValidSession(token, now: now))
    }

    @Test(arguments: ["", ".", "1800000000", "1800000000.", "x.00", "1800000000.zz", "-1.00"])
    func malformedTokensAreRefused(token: String) {
        #expect(!key.isValidSession(token, now: now))
    }

    @Test func tamperingWithTheTimeOrTheCodeIsRefused() throws {
        let token = key.sessionToken(issuedAt: now)
        let parts = token.split(separator: ".")
        let later = "\(Int(now.timeIntervalSince1970) + 3600).\(parts[1])"
        #expect(!key.isValidSession(later, now: now.addingTimeInterval(3600)))
        var code = Array(parts[1])
        code[0] = code[0] == "0" ? "1" : "0"
        #expect(!key.isValidSession("\(parts[0]).\(String(code))", now: now))
    }

    @Test func theCookieIsHttpOnlyStrictAndScopedToTheConsole() {
        let session = ConsoleSession(adminKey: key)
        let cookie = session.issue(with: key, now: now, headers: [:])
        #expect(cookie.hasPrefix("rideease_console="))
        for attribute in ["Path=/_console", "HttpOnly", "SameSite=Strict", "Max-Age=43200"] {
            #expect(cookie.contains(attribute), "\(attribute) in \(cookie)")
        }
        #expect(!cookie.contains("Secure"), "plain-HTTP localhost would drop a Secure cookie")
        let behindTLS = session.issue(with: key, now: now, headers: ["x-forwarded-proto": "https"])
        #expect(behindTLS.hasSuffix("; Secure"))
        #expect(ConsoleSession.clear(headers: [:]).contains("Max-Age=0"))
    }

    @Test func theSessionIsReadFromTheCookieHeader() {
        let session = ConsoleSession(adminKey: key)
        let token = key.sessionToken(issuedAt: now)
        #expect(session.isSignedIn(["cookie": "a=b; rideease_console=\(token); c=d"], now: now))
        #expect(!session.isSignedIn(["cookie": "rideease_console_x=\(token)"], now: now))
        #expect(!session.isSignedIn([:], now: now))
        #expect(ConsoleSession(adminKey: nil).isSignedIn([:], now: now), "no key configured: the console is open")
    }

    @Test func aViewerSessionIsToldApartFromAnAdminOneAndOpensNoAdminPage() {
        let viewer = AdminKey("read-only-viewer-key")
        let session = ConsoleSession(adminKey: key, viewerKey: viewer)
        let adminCookie = ["cookie": "rideease_console=\(key.sessionToken(issuedAt: now))"]
        let viewerCookie = ["cookie": "rideease_console=\(viewer.sessionToken(issuedAt: now))"]
        #expect(session.access(adminCookie, now: now) == .admin)
        #expect(session.access(viewerCookie, now: now) == .viewer)
        #expect(session.access([:], now: now) == nil)
        #expect(session.isSignedIn(adminCookie, now: now))
        #expect(!session.isSignedIn(viewerCookie, now: now), "the viewer key opens the trace pages only")
        #expect(session.key(matching: "read-only-viewer-key")?.access == .viewer)
        #expect(session.key(matching: "s3cret-admin-key")?.access == .admin)
        #expect(session.key(matching: "guess") == nil)
        let viewerOnly = ConsoleSession(adminKey: nil, viewerKey: viewer)
        #expect(viewerOnly.isSignedIn([:], now: now), "without an admin key the admin pages stay open")
        #expect(viewerOnly.access([:], now: now) == nil, "but a trace page still needs the viewer's session")
    }

    @Test(arguments: [
        (["x-rideease-console": "1"], true),
        (["x-rideease-console": "1", "sec-fetch-site": "same-origin"], true),
        (["x-rideease-console": "1", "sec-fetch-site": "cross-site"], false),
        (["x-rideease-console": "1", "sec-fetch-site": "same-site"], false),
        (["sec-fetch-site": "same-origin"], false),
        ([:], false),
    ])
    func onlyTheConsolesOwnRequestsMayChangeState(headers: [String: String], allowed: Bool) {
        #expect(ConsoleSession.isConsoleRequest(headers) == allowed)
    }
}
