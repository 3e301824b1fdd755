import Experiments
import Foundation
import FunctionRuntime
import Functions

/// One experiment's page: its record (design, status, arms, dates, final decision, audit trail) and its analysis
/// over a window (the summary and timeline functions) — per-variant rates with CUPED's raw and adjusted
/// differences for an A/B experiment (``ABExperimentView``), wins, losses and ties for an interleaving one
/// (``InterleavingExperimentView``).
struct ExperimentPage {
    /// Windows offered as links, besides "since it started" (the functions' default).
    static let windows = [1, 6, 24, 72, 168, 720]

    var experimentId: String
    /// `nil`: since the experiment started (a stopped experiment: its final summary).
    var hours: Int?
    var detail: Result<ExperimentDetail, FunctionError>
    var summary: Result<ExperimentReport, FunctionError>
    var timeline: Result<ExperimentTimeline, FunctionError>

    static func load(api: ConsoleAPI, experimentId: String, hours: Int?) async -> ExperimentPage {
        let experiment = ["experimentId": experimentId]
        let query = hours.map { ["windowHours": String($0)] } ?? [:]
        async let detail = api.read(ExperimentDetail.self, "getExperiment", pathParameters: experiment)
        async let summary = api.read(
            ExperimentReport.self, "experimentSummary", pathParameters: experiment, query: query)
        async let timeline = api.read(
            ExperimentTimeline.self, "experimentTimeline", pathParameters: experiment, query: query)
        return ExperimentPage(
            experimentId: experimentId, hours: hours, detail: await detail, summary: await summary,
            timeline: await timeline)
    }

    /// The page's status: the record's (404 for an unknown experiment), else 200.
    var status: Int {
        if case .failure(let error) = detail { return error.status }
        return 200
    }

    func render() -> String {
        let base = "/_console/experiments/\(HTML.pathSegment(experimentId))"
        let sinceStart = hours == nil ? #" aria-current="page""# : ""
        let links = Self.windows.map { window in
            let current = window == hours ? #" aria-current="page""# : ""
            let label = window % 24 == 0 && window >= 24 ? "\(window / 24) d" : "\(window) h"
            return #"<li><a href="\#(base)/\#(window)"\#(current)>\#(label)</a></li>"#
        }.joined()
        var html = """
            <p><a href="/_console/experiments">All experiments</a></p>
            <nav class="windows" aria-label="Analysis window"><span>Window</span><ul>\
            <li><a href="\(base)"\(sinceStart)>since start</a></li>\(links)</ul></nav>
            """
        switch detail {
        case .success(let detail): html += ExperimentRecordView(detail: detail).render()
        case .failure(let error):
            return html + #"<p class="error" role="alert">\#(HTML.escape(error.message))</p>"#
        }
        switch summary {
        case .success(.ab(let summary)):
            html += ABExperimentView(summary: summary, timeline: try? timeline.get()).render()
        case .success(.interleaving(let summary)):
            html += InterleavingExperimentView(summary: summary, timeline: try? timeline.get()).render()
        case .failure(let error):
            html += #"<p class="error" role="alert">\#(HTML.escape(error.message))</p>"#
        }
        if case .failure(let error) = timeline {
            html += #"<p class="notice" id="timeline-missing">No timeline: \#(HTML.escape(error.message))</p>"#
        }
        return html
    }

    /// The SRM check as a sentence, shared by both designs.
    static func srmText(_ result: StatisticResult<SampleRatioMismatch>) -> String {
        guard let srm = result.value else {
            return "not checked: \(HTML.escape(result.insufficientDataReason ?? "not enough data"))"
        }
        let verdict =
            srm.detected
            ? #"<strong class="status-error">mismatch detected</strong>"#
            : #"<span class="status-ok">no mismatch</span>"#
        return "\(verdict) (p = \(ConsoleFormat.number(srm.pValue, digits: 4)))"
            + (srm.note.map { " — \(HTML.escape($0))" } ?? "")
    }

    /// An estimate with its interval, `0.012 [−0.003, 0.027]`, or why there is none.
    static func interval(_ result: StatisticResult<EstimateInterval>, digits: Int = 4) -> String {
        guard let value = result.value else {
            return "not estimated: \(HTML.escape(result.insufficientDataReason ?? "not enough data"))"
        }
        return "\(ConsoleFormat.number(value.estimate, digits: digits)) "
            + "[\(ConsoleFormat.number(value.lower, digits: digits)), \(ConsoleFormat.number(value.upper, digits: digits))]"
    }
}
