import Experiments
import Foundation
import Functions

/// The record part of an experiment's page: what was set up (design, arms, versions, coverage, metric, CUPED), where
/// it is in its life (status, dates, the arm served after the stop, the final decision) and who changed it when.
struct ExperimentRecordView {
    var detail: ExperimentDetail

    func render() -> String {
        let record = detail.experiment
        let variants = record.variants.map { variant in
            "\(HTML.escape(variant.name)) \(ConsoleFormat.percent(variant.weight)) "
                + (variant.version.map { "<code>\(HTML.escape($0))</code>" } ?? "(what serves it now)")
        }.joined(separator: "; ")
        let cuped = record.cuped.map { "on, \($0.preWindowDays) days of history" } ?? "off"
        var html = """
            <section class="panel" aria-labelledby="record-title">
            <h2 id="record-title">Experiment <code>\(HTML.escape(record.id))</code></h2>
            <dl class="facts" id="record">
            <dt>Design</dt><dd id="design">\(HTML.escape(record.design.rawValue))</dd>
            <dt>Status</dt><dd id="status"><span class="status-\(record.status.rawValue)">\
            \(record.status.rawValue)</span></dd>
            <dt>Variants</dt><dd>\(variants)</dd>
            <dt>Coverage</dt><dd>\(ConsoleFormat.percent(record.coverage))</dd>
            <dt>Metric</dt><dd>\(HTML.escape(record.metric))</dd>
            <dt>CUPED</dt><dd>\(record.design == .ab ? cuped : "not used by interleaving")</dd>
            <dt>Created</dt><dd>\(ConsoleFormat.time(record.createdAt))</dd>
            <dt>Started</dt><dd>\(record.startedAt.map(ConsoleFormat.time) ?? "—")</dd>
            <dt>Stopped</dt><dd>\(record.stoppedAt.map(ConsoleFormat.time) ?? "—")</dd>
            """
        if let final = record.finalSummary {
            let decision = HTML.escape(final.decision.rawValue)
            html += """
                <dt>Final decision</dt><dd><strong id="final-decision" class="decision-\(decision)">\(decision)\
                </strong> — <span id="final-reason">\(HTML.escape(final.reason))</span></dd>
                <dt>Serving since the stop</dt><dd>\(HTML.escape(record.servedAfterStop ?? "—"))</dd>
                """
        }
        html += "</dl></section>"
        guard !detail.audit.isEmpty else { return html }
        html += """
            <details><summary>Changes to this experiment</summary>
            <table id="audit"><caption>Audit trail, oldest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Status</th>\
            <th scope="col">By</th><th scope="col" class="num">Revision</th><th scope="col">Request</th></tr></thead>
            <tbody>
            """
        for entry in detail.audit {
            let request = entry.requestId.map { "<code>\(HTML.escape($0))</code>" }
            html += """
                <tr><th scope="row">\(ConsoleFormat.time(entry.at))</th><td>\(HTML.escape(entry.action))</td>\
                <td>\(entry.from.map { "\($0.rawValue) → " } ?? "")\(entry.to.rawValue)</td>\
                <td>\(HTML.escape(entry.actor))</td><td class="num">\(entry.revision)</td><td>\(request ?? "—")</td></tr>
                """
        }
        return html + "</tbody></table></details>"
    }
}
