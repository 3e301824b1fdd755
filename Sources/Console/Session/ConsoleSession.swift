import Foundation
import FunctionRuntime

/// The console's browser session: an HttpOnly, SameSite=Strict cookie scoped to `/_console` holding a token
/// derived from the admin key (``AdminKey/sessionToken(issuedAt:)``), never the key itself.
struct ConsoleSession: Sendable {
    static let cookieName = "rideease_console"

    let adminKey: AdminKey?

    /// Whether the console asks who is there: only when a key is configured (otherwise it is open, like the
    /// emulator it belongs to).
    var required: Bool { adminKey != nil }

    /// Whether `headers` carry a valid session (always true when no key is configured).
    func isSignedIn(_ headers: [String: String], now: Date) -> Bool {
        guard let adminKey else { return true }
        guard let token = Self.cookie(Self.cookieName, in: headers["cookie"]) else { return false }
        return adminKey.isValidSession(token, now: now)
    }

    /// `Set-Cookie` for a new session; `Secure` when the request arrived over HTTPS (Cloud Run's front end says so).
    func issue(now: Date, headers: [String: String]) -> String? {
        guard let adminKey else { return nil }
        return Self.cookieHeader(
            value: adminKey.sessionToken(issuedAt: now), maxAge: Int(AdminKey.sessionLifetime), headers: headers)
    }

    /// `Set-Cookie` that removes the session.
    static func clear(headers: [String: String]) -> String {
        cookieHeader(value: "", maxAge: 0, headers: headers)
    }

    private static func cookieHeader(value: String, maxAge: Int, headers: [String: String]) -> String {
        let secure = headers["x-forwarded-proto"]?.lowercased() == "https" ? "; Secure" : ""
        return "\(cookieName)=\(value); Path=/_console; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure)"
    }

    /// The value of cookie `name` in a `Cookie` header (several headers arrive joined by `,`).
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Cross-site request forgery guard for the console's POSTs: a custom header (a cross-origin page cannot send
    /// one without a CORS preflight, which is never granted) and, when the browser says so, a same-origin request.
    static func isConsoleRequest(_ headers: [String: String]) -> Bool {
        guard headers["x-rideease-console"] == "1" else { return false }
        if let site = headers["sec-fetch-site"] { return site == "same-origin" || site == "none" }
        return true
    }
}
