/// The page a browser without a session sees when an admin key is configured: one password field whose value is
/// sent once, in the `x-api-key` header, to `POST /_console/session`. It answers 200 at the address asked for (no
/// data on it), so that after signing in a reload shows that page; 401 would need a `WWW-Authenticate` scheme.
enum SignInPage {
    static func page(adminKeyName: String, viewerKeyName: String) -> ConsolePage {
        ConsolePage(
            title: "Sign in",
            section: nil,
            content: """
                <p class="lead">The console shows admin data: enter the admin key (\(HTML.escape(adminKeyName))), \
                or the read-only viewer key (\(HTML.escape(viewerKeyName))) for the trace pages only. \
                The browser keeps a signed session cookie for 12 hours, never the key.</p>
                <form id="sign-in" class="inline" action="/_console/session" method="post">
                <label for="key">Admin or viewer key</label>
                <input id="key" name="key" type="password" required autocomplete="current-password" size="32">
                <button type="submit">Sign in</button>
                </form>
                <noscript><p class="error">Signing in needs JavaScript.</p></noscript>
                """
        )
    }
}
