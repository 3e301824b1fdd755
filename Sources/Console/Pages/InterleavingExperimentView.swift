import Experiments
import Foundation
import Functions

/// An interleaving experiment's analysis on its page: every rider sees one list drafted from both rankers, so
/// the comparison is per rider — wins (treatment credited more), losses, ties — with the preference and its CI,
/// the sign test, the always-valid p-value that decides, and SRM on first picks (the coin that must split
/// 50/50). The chart shows wins, losses and ties accumulating hour by hour.
struct InterleavingExperimentView {
    var summary: InterleavingSummary
    /// `nil` when the timeline function failed (the page says so).
    var timeline: ExperimentTimeline?

    func render() -> String {
        let decision = HTML.escape(summary.decision.rawValue)
        var html = """
            <section class="panel" aria-labelledby="decision-title">
            <h2 id="decision-title">Analysis over \(summary.window.hours) h</h2>
            <p>Decision: <strong id="decision" class="decision-\(decision)">\(decision)</strong></p>
            <p id="decision-reason">\(HTML.escape(summary.reason))</p>
            <dl class="facts">
            <dt>Preference for treatment</dt><dd id="preference">\(ExperimentPage.interval(summary.preference))</dd>
            <dt>Sign test p-value</dt><dd id="sign-test-p">\(ConsoleFormat.number(summary.pValue, digits: 4))</dd>
            <dt>Always-valid p-value</dt><dd id="always-valid-p">\
            \(ConsoleFormat.number(summary.alwaysValidPValue, digits: 4))</dd>
            <dt>Sample ratio mismatch (first picks)</dt><dd id="srm">\(ExperimentPage.srmText(summary.srm))</dd>
            <dt>First picks</dt><dd id="first-picks">control <span id="first-picks-control">\
            \(summary.firstPicks.control)</span>, treatment <span id="first-picks-treatment">\
            \(summary.firstPicks.treatment)</span></dd>
            </dl>
            </section>
            <table id="outcomes">
            <caption>Riders in the window (preference = (wins + ties / 2) / riders − 0.5)</caption>
            <thead><tr><th scope="col" class="num">Exposed riders</th><th scope="col" class="num">Riders who converted</th>\
            <th scope="col" class="num">Wins (treatment)</th><th scope="col" class="num">Losses (control)</th>\
            <th scope="col" class="num">Ties</th></tr></thead><tbody>
            <tr><td class="num" id="exposed-riders">\(summary.exposedRiders)</td>\
            <td class="num" id="riders">\(summary.riders)</td><td class="num" id="wins">\(summary.wins)</td>\
            <td class="num" id="losses">\(summary.losses)</td><td class="num" id="ties">\(summary.ties)</td></tr>
            </tbody></table>
            """
        guard let timeline else { return html }
        html += "<h2>Over time</h2>"
        let points: [(point: ExperimentTimeline.Point, outcome: ExperimentTimeline.InterleavingPoint)] =
            timeline.points.compactMap { point in point.interleaving.map { (point, $0) } }
        guard !points.isEmpty else {
            return html + #"<p class="notice" id="timeline-empty">No hours in this window yet.</p>"#
        }
        let times = points.map(\.point.hourEnding)
        let count: (Double) -> String = { String(Int($0.rounded())) }
        let charts = [
            LineChart(
                id: "outcomes", title: "Wins, losses and ties (cumulative riders)", times: times,
                series: [
                    .init(name: "wins", values: points.map { Double($0.outcome.wins) }),
                    .init(name: "losses", values: points.map { Double($0.outcome.losses) }),
                    .init(name: "ties", values: points.map { Double($0.outcome.ties) }),
                ], yMax: nil, format: count),
            LineChart(
                id: "preference", title: "Preference for treatment", times: times,
                series: [.init(name: "preference", values: points.map(\.outcome.preference))], yMax: nil,
                format: { ConsoleFormat.number($0, digits: 3) }, yMin: nil),
            LineChart(
                id: "p-values", title: "p-values over time (always-valid and SRM on first picks)", times: times,
                series: [
                    .init(name: "always-valid p", values: points.map(\.point.alwaysValidPValue)),
                    .init(name: "SRM p", values: points.map(\.point.srmPValue)),
                ], yMax: 1),
        ]
        html += #"<div class="charts">\#(charts.map(\.svg).joined())</div>"#
        html += """
            <details><summary>The numbers behind the charts</summary>
            <table id="timeline"><caption>Cumulative per hour</caption>
            <thead><tr><th scope="col">Hour ending</th><th scope="col" class="num">Riders</th>\
            <th scope="col" class="num">Wins</th><th scope="col" class="num">Losses</th><th scope="col" class="num">Ties</th>\
            <th scope="col" class="num">Preference</th><th scope="col" class="num">Always-valid p</th>\
            <th scope="col" class="num">SRM p</th><th scope="col">Decision</th></tr></thead><tbody>
            """
        for (point, outcome) in points {
            html += """
                <tr><th scope="row">\(ConsoleFormat.time(point.hourEnding))</th><td class="num">\(outcome.riders)</td>\
                <td class="num">\(outcome.wins)</td><td class="num">\(outcome.losses)</td>\
                <td class="num">\(outcome.ties)</td><td class="num">\(ConsoleFormat.number(outcome.preference, digits: 3))</td>\
                <td class="num">\(ConsoleFormat.number(point.alwaysValidPValue, digits: 4))</td>\
                <td class="num">\(ConsoleFormat.number(point.srmPValue, digits: 4))</td>\
                <td>\(HTML.escape(point.decision.rawValue))</td></tr>
                """
        }
        return html + "</tbody></table></details>"
    }
}
