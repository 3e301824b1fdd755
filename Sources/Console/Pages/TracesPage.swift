import Foundation
import FunctionRuntime
import Functions

/// The Traces page: look up a request id through `GET /traces/{requestId}` (provenance of one prediction), and the
/// recent HTTP requests this process answered (from its log lines), each linked to its trace and its logs.
struct TracesPage {
    /// One recent HTTP request.
    struct Request: Equatable {
        var function: String
        var invocation: FunctionsPage.Invocation
        /// Whether the function records a prediction trace for its requests.
        var traced: Bool
    }

    var requestId: String?
    var trace: Result<PredictionTrace, FunctionError>?
    var recent: [Request]

    static let recentShown = 50

    static func load(
        api: ConsoleAPI, manifest: FunctionManifest, logs: RecentLogLines, requestId: String?
    ) async -> TracesPage {
        let traced = Set(manifest.functions.filter { $0.handler == "recommend" }.map(\.name))
        let recent = logs.lines(limit: 1000).compactMap { line -> Request? in
            guard let function = line.function, let invocation = FunctionsPage.Invocation(line),
                invocation.trigger == "http", invocation.requestId != nil
            else { return nil }
            return Request(function: function, invocation: invocation, traced: traced.contains(function))
        }
        var trace: Result<PredictionTrace, FunctionError>?
        if let requestId {
            trace = await api.read(PredictionTrace.self, "getTrace", pathParameters: ["requestId": requestId])
        }
        return TracesPage(requestId: requestId, trace: trace, recent: Array(recent.prefix(recentShown)))
    }

    func render() -> String {
        var html = """
            <form id="trace-lookup" class="inline" role="search" action="/_console/traces">
            <label for="request-id">Request id</label>
            <input id="request-id" name="requestId" size="40" required spellcheck="false" autocomplete="off" \
            value="\(HTML.escape(requestId ?? ""))" placeholder="UUIDv7 from X-Request-Id">
            <button type="submit">Look up</button>
            </form>
            """
        switch trace {
        case .none: break
        case .some(.failure(let error)):
            html += #"<p class="error" role="alert" id="trace-error">\#(HTML.escape(error.message))</p>"#
        case .some(.success(let trace)): html += render(trace)
        }
        html += """
            <table id="recent-requests">
            <caption>Recent HTTP requests to this instance, newest first</caption>
            <thead><tr><th scope="col">Time</th><th scope="col">Function</th><th scope="col" class="num">Status</th>\
            <th scope="col" class="num">Duration</th><th scope="col">Request id</th></tr></thead><tbody>
            """
        for request in recent {
            let id = request.invocation.requestId ?? ""
            let status = request.invocation.status.map(String.init) ?? "?"
            let kind = (request.invocation.status ?? 500) >= 500 ? "error" : "ok"
            let link =
                request.traced
                ? #"<a href="/_console/traces/\#(HTML.pathSegment(id))"><code>\#(HTML.escape(id))</code></a>"#
                : "<code>\(HTML.escape(id))</code>"
            html += """
                <tr><td>\(ConsoleFormat.time(request.invocation.time))</td><td>\(HTML.escape(request.function))</td>\
                <td class="num"><span class="status-\(kind)">\(status)</span></td>\
                <td class="num">\(ConsoleFormat.number(request.invocation.durationMs, digits: 1)) ms</td>\
                <td>\(link) <a href="/_console/logs/all/\(HTML.pathSegment(id))">logs</a></td></tr>
                """
        }
        if recent.isEmpty { html += #"<tr><td colspan="5">No requests yet.</td></tr>"# }
        return html + "</tbody></table>"
    }

    private func render(_ trace: PredictionTrace) -> String {
        let facts: [(String, String)] = [
            ("Request id", "<code>\(HTML.escape(trace.requestId))</code>"),
            ("Created", ConsoleFormat.time(trace.createdAt)),
            ("User", "<code>\(HTML.escape(trace.userId))</code>"),
            ("Experiment", HTML.escape(trace.experimentId)),
            ("Variant", HTML.escape(trace.variant)),
            ("Model version", "<code>\(HTML.escape(trace.modelVersion))</code>"),
            ("Deployment generation", String(trace.deploymentGeneration)),
            ("Fallback", trace.fallback ? "yes (popularity fallback)" : "no"),
            ("Latency", "\(ConsoleFormat.number(trace.latencyMs, digits: 2)) ms"),
            (
                "Policy",
                #"<span id="trace-policy" data-policy="\#(trace.policy?.rawValue ?? "")">"#
                    + "\(Self.policy(trace.policy))</span>"
            ),
            (
                "Candidate set",
                #"<span id="trace-candidates">\#(trace.candidateCount.map { "\($0) items" } ?? "—")</span>"#
            ),
            ("Explored position", #"<span id="trace-explored">\#(Self.explored(trace))</span>"#),
            ("Data snapshot", "<code>\(HTML.escape(trace.dataSnapshotId))</code>"),
            ("Pipeline git SHA", "<code>\(HTML.escape(trace.pipelineGitSha))</code>"),
            ("Container image", "<code>\(HTML.escape(trace.containerImageDigest))</code>"),
            ("Artifact", "<code>\(HTML.escape(trace.artifactUri))</code>"),
        ]
        return """
            <section class="panel" aria-labelledby="trace-title" id="trace">
            <h2 id="trace-title">Trace of <code>\(HTML.escape(trace.requestId))</code></h2>
            <dl class="facts">\(facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined())</dl>
            \(items(trace))
            <p><a href="/_console/logs/all/\(HTML.pathSegment(trace.requestId))">Log lines of this request</a></p>
            </section>
            """
    }

    /// The shown list: position, item, score, the probability the policy showed that item there, and under
    /// interleaving the arm that placed it. The explored position's row is marked.
    private func items(_ trace: PredictionTrace) -> String {
        guard !trace.recommendations.isEmpty else { return "<p>No recommendations.</p>" }
        let arms = trace.interleaving != nil
        var html = """
            <table id="trace-items"><caption>Recommendations as shown, with their propensities</caption>
            <thead><tr><th scope="col" class="num">Position</th><th scope="col">Item</th>\
            <th scope="col" class="num">Score</th><th scope="col" class="num">Propensity</th>\
            \(arms ? #"<th scope="col">Arm</th>"# : "")</tr></thead><tbody>
            """
        for (index, item) in trace.recommendations.enumerated() {
            let position = item.position ?? index + 1
            let explored = trace.exploredPosition == position ? #" class="explored""# : ""
            // No propensity: an old trace (no policy logged), or an interleaving draft too costly to compute.
            let propensity =
                item.propensity.map { ConsoleFormat.number($0, digits: 4) } ?? (trace.policy == nil ? "—" : "unknown")
            html += """
                <tr data-position="\(position)"\(explored)><th scope="row" class="num">\(position)</th>\
                <td><code>\(HTML.escape(item.itemId))</code></td>\
                <td class="num">\(ConsoleFormat.number(Double(item.score), digits: 4))</td>\
                <td class="num" data-field="propensity">\(propensity)</td>\
                \(arms ? "<td>\(HTML.escape(item.arm?.rawValue ?? "—"))</td>" : "")</tr>
                """
        }
        return html + "</tbody></table>"
    }

    static func policy(_ policy: PredictionTrace.Policy?) -> String {
        switch policy {
        case .deterministic?: "deterministic (one model's ranking as ranked)"
        case .epsilonGreedy?: "epsilon-greedy (one exploration slot)"
        case .interleaving?: "interleaving (team draft)"
        case nil: "not logged (a trace from before propensities were)"
        }
    }

    static func explored(_ trace: PredictionTrace) -> String {
        if let position = trace.exploredPosition { return "position \(position)" }
        return trace.policy == .epsilonGreedy ? "none (this request was not explored)" : "—"
    }
}
