import FunctionRuntime

/// One console page: the shared frame (navigation, flash area, confirmation dialog) around a section's content.
struct ConsolePage {
    /// The console's sections, in navigation order.
    enum Section: String, CaseIterable, Sendable {
        case functions, models, experiments, shadow, traces, logs

        var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    var title: String
    var section: Section?
    /// Already-escaped HTML.
    var content: String
    var status = 200
    /// Whether to show the sign-out button (a key is configured and the browser holds a session).
    var signedIn = false

    /// Headers every console page and asset carries: no inline script or style, nothing from other origins,
    /// never framed, never cached (pages show admin data).
    static let securityHeaders = [
        "Content-Security-Policy":
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    ]

    var html: String {
        let navigation = Section.allCases.map { item in
            let current = item == section ? #" aria-current="page""# : ""
            return #"<li><a href="/_console/\#(item.rawValue)"\#(current)>\#(item.title)</a></li>"#
        }.joined()
        let signOut =
            signedIn
            ? #"<div class="session"><button type="button" id="sign-out" class="secondary">Sign out</button></div>"#
            : ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · RideEase console</title>
            <link rel="stylesheet" href="/_console/assets/console.css">
            <link rel="icon" href="data:,">
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <span class="brand">RideEase console</span>
            <nav aria-label="Console sections"><ul>\(navigation)</ul></nav>
            \(signOut)
            </header>
            <main id="main" tabindex="-1">
            <h1>\(HTML.escape(title))</h1>
            <div id="flash" role="status" aria-live="polite"></div>
            \(content)
            </main>
            <dialog id="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
            <h2 id="confirm-title">Please confirm</h2>
            <p id="confirm-message"></p>
            <form method="dialog" class="buttons">
            <button type="submit" value="cancel" id="confirm-cancel" class="secondary">Cancel</button>
            <button type="submit" value="confirm" id="confirm-ok">Confirm</button>
            </form>
            </dialog>
            <script src="/_console/assets/console.js"></script>
            </body>
            </html>

            """
    }

    var response: FunctionResponse {
        var response = FunctionResponse.text(html, status: status, contentType: "text/html; charset=utf-8")
        response.headers.merge(Self.securityHeaders) { _, new in new }
        return response
    }

    /// A page explaining a problem, with the status it stands for (never a stack trace).
    static func problem(_ error: FunctionError, section: Section? = nil, signedIn: Bool = false) -> ConsolePage {
        ConsolePage(
            title: error.status == 404 ? "Not found" : "Something went wrong",
            section: section,
            content: #"<p class="error" role="alert">\#(HTML.escape(error.message))</p>"#,
            status: error.status,
            signedIn: signedIn
        )
    }
}
