import Foundation
import FunctionRuntime

/// The Logs page: this process's recent structured log lines, newest first, filtered by function and request id.
struct LogsPage {
    var function: String?
    var requestId: String?
    var functionNames: [String]
    var lines: [RecentLogLines.Line]

    static let shown = 500
    /// Fields shown in their own columns, so not repeated among the others.
    private static let columns: Set<String> = ["function", "requestId"]

    static func load(
        manifest: FunctionManifest, logs: RecentLogLines, function: String?, requestId: String?
    )
        -> LogsPage
    {
        LogsPage(
            function: function, requestId: requestId, functionNames: manifest.functions.map(\.name).sorted(),
            lines: logs.lines(function: function, requestId: requestId, limit: shown))
    }

    func render() -> String {
        let options =
            [#"<option value="all">all functions</option>"#]
            + functionNames.map { name in
                let selected = name == function ? " selected" : ""
                return #"<option value="\#(HTML.escape(name))"\#(selected)>\#(HTML.escape(name))</option>"#
            }
        var html = """
            <form id="log-filter" class="inline" role="search" action="/_console/logs">
            <label for="log-function">Function</label>
            <select id="log-function" name="function">\(options.joined())</select>
            <label for="log-request">Request id</label>
            <input id="log-request" name="requestId" size="40" spellcheck="false" autocomplete="off" \
            value="\(HTML.escape(requestId ?? ""))">
            <button type="submit">Filter</button>
            <a href="/_console/logs">Clear</a>
            </form>
            <p class="lead">Newest first; the latest \(Self.shown) matching lines of this process \
            (stdout keeps every line).</p>
            <table id="log-lines">
            <caption>Log lines</caption>
            <thead><tr><th scope="col">Time</th><th scope="col">Severity</th><th scope="col">Function</th>\
            <th scope="col">Request id</th><th scope="col">Message</th><th scope="col">Fields</th></tr></thead><tbody>
            """
        for line in lines {
            let severity = HTML.escape(line.severity)
            let kind =
                ["ERROR", "CRITICAL"].contains(line.severity) ? "error" : (line.severity == "WARNING" ? "running" : "")
            let function =
                line.function.map {
                    #"<a href="/_console/logs/\#(HTML.pathSegment($0))">\#(HTML.escape($0))</a>"#
                } ?? "—"
            let request =
                line.requestId.map {
                    #"<a href="/_console/logs/all/\#(HTML.pathSegment($0))"><code>\#(HTML.escape($0))</code></a>"#
                } ?? "—"
            let fields = line.fields.filter { !Self.columns.contains($0.key) }.sorted { $0.key < $1.key }
                .map { "<code>\(HTML.escape($0.key))=\(HTML.escape($0.value))</code>" }.joined(separator: " ")
            html += """
                <tr data-severity="\(severity)"><td>\(ConsoleFormat.time(line.time))</td>\
                <td><span class="status-\(kind)">\(severity)</span></td><td>\(function)</td><td>\(request)</td>\
                <td>\(HTML.escape(line.message))</td><td>\(fields)</td></tr>
                """
        }
        if lines.isEmpty { html += #"<tr><td colspan="6">No matching lines.</td></tr>"# }
        return html + "</tbody></table>"
    }
}
