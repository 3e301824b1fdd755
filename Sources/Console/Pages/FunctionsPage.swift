import Foundation
import FunctionRuntime
import Scheduler

/// The Functions page: every function of the manifest with its routes and schedule, the next fire times, its
/// last runs (scheduler records for scheduled ones, this process's invocation log lines for HTTP ones) and a
/// "run now" button for scheduled ones.
struct FunctionsPage {
    /// One function's row.
    struct Row {
        var function: FunctionListing.Entry
        /// The scheduler's view, for scheduled functions.
        var job: JobStatus?
        /// This process's latest invocations, newest first.
        var invocations: [Invocation]
    }

    /// One `function invoked` log line of the invoker.
    struct Invocation: Equatable {
        var time: Date
        var status: Int?
        var durationMs: Double?
        var trigger: String
        var requestId: String?

        /// The invoker's per-call line, or `nil` for any other line.
        init?(_ line: RecentLogLines.Line) {
            guard line.message == "function invoked" else { return nil }
            time = line.time
            status = line.fields["status"].flatMap { Int($0) }
            durationMs = line.fields["durationMs"].flatMap { Double($0) }
            trigger = line.fields["trigger"] ?? "?"
            requestId = line.requestId
        }
    }

    var rows: [Row]
    /// Why scheduler state is missing, when it could not be read.
    var schedulerProblem: String?
    /// Whether "run now" can work (an admin key is configured).
    var actionsEnabled: Bool

    static let invocationsShown = 5

    static func load(
        manifest: FunctionManifest, scheduled: ScheduledFunctions?, logs: RecentLogLines, now: Date,
        actionsEnabled: Bool
    ) async -> FunctionsPage {
        var jobs: [String: JobStatus] = [:]
        var problem: String?
        if let scheduled {
            do {
                for status in try await scheduled.runner.status() { jobs[status.name] = status }
            } catch {
                problem = "scheduler state cannot be read: \(error)"
            }
        }
        let listing = FunctionListing(manifest: manifest, now: now)
        let rows = listing.functions.map { function in
            Row(
                function: function,
                job: jobs[function.name],
                invocations: Array(
                    logs.lines(function: function.name, limit: 200).compactMap(Invocation.init)
                        .prefix(invocationsShown))
            )
        }
        return FunctionsPage(rows: rows, schedulerProblem: problem, actionsEnabled: actionsEnabled)
    }

    func render() -> String {
        var html = #"<p class="lead">What <code>functions.yaml</code> declares, and what ran. Times are UTC.</p>"#
        if let schedulerProblem { html += #"<p class="error" role="alert">\#(HTML.escape(schedulerProblem))</p>"# }
        if !actionsEnabled {
            html += #"<p class="notice">"Run now" needs the admin key: start the emulator with the key set.</p>"#
        }
        html += """
            <table id="functions">
            <caption>Functions</caption>
            <thead><tr><th scope="col">Function</th><th scope="col">Routes</th><th scope="col">Schedule</th>\
            <th scope="col">Next fire times</th><th scope="col">Last runs</th><th scope="col">Actions</th></tr></thead>
            <tbody>
            """
        for row in rows { html += render(row) }
        return html + "</tbody></table>"
    }

    private func render(_ row: Row) -> String {
        let function = row.function
        let name = HTML.escape(function.name)
        let routes = function.routes.map { "<li><code>\(HTML.escape($0))</code></li>" }.joined()
        var schedule = "—"
        if let cron = function.schedule {
            schedule = "<code>\(HTML.escape(cron))</code><br>\(HTML.escape(function.timeZone ?? "UTC"))"
        }
        let next = function.nextRuns.map { "<li>\(ConsoleFormat.time($0))</li>" }.joined()
        var runs: [String] = []
        if let job = row.job {
            if job.isRunning { runs.append(#"<li><span class="status-running">running now</span></li>"#) }
            runs += job.recentRuns.prefix(Self.invocationsShown).map { run in
                let status = HTML.escape(run.status.rawValue)
                return #"<li><span class="status-\#(status)">\#(status)</span> \#(ConsoleFormat.time(run.startedAt)) "#
                    + "(\(HTML.escape(run.trigger.rawValue)), \(ConsoleFormat.duration(seconds: run.durationSeconds)))"
                    + (run.message.map { " — \(HTML.escape($0))" } ?? "") + "</li>"
            }
        }
        // The scheduler's records cover scheduled and manual runs; HTTP calls of the same function come from the log.
        let invocations = row.job == nil ? row.invocations : row.invocations.filter { $0.trigger == "http" }
        runs += invocations.map { invocation in
            let code = invocation.status.map(String.init) ?? "?"
            let kind = (invocation.status ?? 500) >= 500 ? "error" : "ok"
            let request =
                invocation.requestId.map {
                    #" <a href="/_console/logs/\#(HTML.pathSegment(function.name))/\#(HTML.pathSegment($0))">logs</a>"#
                } ?? ""
            return #"<li><span class="status-\#(kind)">\#(code)</span> \#(ConsoleFormat.time(invocation.time)) "#
                + "(\(HTML.escape(invocation.trigger)), "
                + "\(ConsoleFormat.duration(seconds: invocation.durationMs.map { $0 / 1000 })))\(request)</li>"
        }
        var action = ""
        if function.schedule != nil {
            let disabled = actionsEnabled ? "" : " disabled"
            action = """
                <button type="button" data-action-url="/_console/actions/run/\(HTML.pathSegment(function.name))" \
                data-confirm="Run \(name) now? It is recorded like a scheduled run." data-done="Ran \(name)."\
                \(disabled) aria-label="Run \(name) now">Run now</button>
                """
        }
        return """
            <tr data-function="\(name)"><th scope="row">\(name)<br><small>\(HTML.escape(function.description))</small></th>\
            <td><ul class="plain">\(routes.isEmpty ? "<li>—</li>" : routes)</ul></td><td>\(schedule)</td>\
            <td><ul class="plain">\(next.isEmpty ? "<li>—</li>" : next)</ul></td>\
            <td><ul class="plain runs">\(runs.isEmpty ? "<li>none yet</li>" : runs.joined())</ul></td><td>\(action)</td></tr>

            """
    }
}
