import Foundation
import FunctionRuntime

/// The console's browser session: an HttpOnly, SameSite=Strict cookie scoped to `/_console` holding a token
/// derived from the key the person signed in with (``AdminKey/sessionToken(issuedAt:)``), never the key itself.
///
/// The admin key opens every page and button; the read-only viewer key opens the trace pages only, as it opens
/// `GET /traces/{requestId}` and nothing else of the API.
struct ConsoleSession: Sendable {
    static let cookieName = "rideease_console"

    /// What a browser may see and do.
    enum Access: Sendable, Equatable {
        /// Signed in with the admin key.
        case admin
        /// Signed in with the viewer key: trace pages only.
        case viewer
    }

    let adminKey: AdminKey?
    let viewerKey: AdminKey?

    init(adminKey: AdminKey?, viewerKey: AdminKey? = nil) {
        self.adminKey = adminKey
        self.viewerKey = viewerKey
    }

    /// Whether the admin pages ask who is there: only when the admin key is configured (otherwise they are open,
    /// like the emulator they belong to, with the buttons off).
    var required: Bool { adminKey != nil }

    /// Who `headers`' session belongs to, or `nil` without a valid session.
    func access(_ headers: [String: String], now: Date) -> Access? {
        guard let token = Self.cookie(Self.cookieName, in: headers["cookie"]) else { return nil }
        // Both checked, always, so the time taken does not tell which key signed the token.
        let isAdmin = adminKey?.isValidSession(token, now: now) ?? false
        let isViewer = viewerKey?.isValidSession(token, now: now) ?? false
        return isAdmin ? .admin : isViewer ? .viewer : nil
    }

    /// Whether `headers` may see the admin pages: an admin session, or no admin key configured.
    func isSignedIn(_ headers: [String: String], now: Date) -> Bool {
        !required || access(headers, now: now) == .admin
    }

    /// `Set-Cookie` for a new session signed with `key`; `Secure` when the request arrived over HTTPS (Cloud Run's
    /// front end says so).
    func issue(with key: AdminKey, now: Date, headers: [String: String]) -> String {
        Self.cookieHeader(
            value: key.sessionToken(issuedAt: now), maxAge: Int(AdminKey.sessionLifetime), headers: headers)
    }

    /// The configured key `presented` is, admin first, or `nil` when it is neither.
    func key(matching presented: String) -> (key: AdminKey, access: Access)? {
        let isAdmin = adminKey?.matches(presented) ?? false
        let isViewer = viewerKey?.matches(presented) ?? false
        if isAdmin, let adminKey { return (adminKey, .admin) }
        if isViewer, let viewerKey { return (viewerKey, .viewer) }
        return nil
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
