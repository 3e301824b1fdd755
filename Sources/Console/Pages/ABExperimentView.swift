import Experiments
import Foundation
import FunctionRuntime
import Functions

/// An A/B experiment's analysis on its page: the decision with its reason, the tests and SRM, per-variant rates,
/// CUPED's raw and adjusted differences side by side (``cupedSection``), and the same over time as charts from the
/// timeline function.
struct ABExperimentView {
    var summary: ExperimentSummary
    /// `nil` when the timeline function failed (the page says so).
    var timeline: ExperimentTimeline?

    func render() -> String {
        var html = render(summary) + cupedSection
        guard let timeline else { return html }
        html += "<h2>Over time</h2>" + render(timeline)
        return html
    }

    private func render(_ summary: ExperimentSummary) -> String {
        let decision = HTML.escape(summary.decision.rawValue)
        var html = """
            <section class="panel" aria-labelledby="decision-title">
            <h2 id="decision-title">Analysis over \(summary.window.hours) h</h2>
            <p>Decision: <strong id="decision" class="decision-\(decision)">\(decision)</strong></p>
            <p id="decision-reason">\(HTML.escape(summary.reason))</p>
            <dl class="facts">
            <dt>Always-valid p-value</dt><dd id="always-valid-p">\(ConsoleFormat.number(summary.test.alwaysValidPValue, digits: 4))</dd>
            <dt>Fixed-horizon p-value</dt><dd>\(ConsoleFormat.number(summary.test.pValue, digits: 4))\
            \(summary.test.insufficientData.map { " (\(HTML.escape($0)))" } ?? "")</dd>
            <dt>Difference (treatment − control)</dt><dd id="difference">\(ExperimentPage.interval(summary.test.difference))</dd>
            <dt>Relative lift</dt><dd>\(ExperimentPage.interval(summary.test.lift))</dd>
            <dt>Decision basis</dt><dd>\(HTML.escape(summary.test.basis.rawValue))</dd>
            <dt>Sample ratio mismatch</dt><dd id="srm">\(ExperimentPage.srmText(summary.srm))</dd>
            </dl>
            </section>
            <table id="variants">
            <caption>Variants in the window</caption>
            <thead><tr><th scope="col">Variant</th><th scope="col" class="num">Weight</th>\
            <th scope="col" class="num">Users</th><th scope="col" class="num">Conversions</th>\
            <th scope="col" class="num">Conversion rate</th></tr></thead><tbody>
            """
        for variant in summary.variants {
            html += """
                <tr><th scope="row">\(HTML.escape(variant.name))</th><td class="num">\(ConsoleFormat.number(variant.weight, digits: 2))</td>\
                <td class="num">\(variant.users)</td><td class="num">\(variant.conversions)</td>\
                <td class="num">\(ConsoleFormat.percent(variant.conversionRate))</td></tr>
                """
        }
        return html + "</tbody></table>"
    }

    private func render(_ timeline: ExperimentTimeline) -> String {
        guard !timeline.points.isEmpty else {
            return #"<p class="notice" id="timeline-empty">No hours in this window yet.</p>"#
        }
        let times = timeline.points.map(\.hourEnding)
        let charts = [
            LineChart(
                id: "users", title: "Users per variant (cumulative)", times: times,
                series: timeline.variants.map { variant in
                    .init(name: variant, values: timeline.series(variant) { Double($0.users) })
                }, yMax: nil, format: { String(Int($0.rounded())) }),
            LineChart(
                id: "conversions", title: "Conversions per variant (cumulative)", times: times,
                series: timeline.variants.map { variant in
                    .init(name: variant, values: timeline.series(variant) { Double($0.conversions) })
                }, yMax: nil, format: { String(Int($0.rounded())) }),
            LineChart(
                id: "rates", title: "Conversion rate per variant", times: times,
                series: timeline.variants.map { variant in
                    .init(name: variant, values: timeline.series(variant) { $0.conversionRate })
                }, yMax: nil, format: { ConsoleFormat.percent($0) }),
            LineChart(
                id: "p-values", title: "p-values over time (always-valid and SRM)", times: times,
                series: [
                    .init(name: "always-valid p", values: timeline.points.map(\.alwaysValidPValue)),
                    .init(name: "SRM p", values: timeline.points.map(\.srmPValue)),
                ], yMax: 1),
        ]
        var html = #"<div class="charts">\#((charts + cupedCharts(timeline)).map(\.svg).joined())</div>"#
        let heads = timeline.variants.map { variant in
            let name = HTML.escape(variant)
            return
                #"<th scope="col" class="num">\#(name) users</th><th scope="col" class="num">\#(name) conversions</th>"#
                + #"<th scope="col" class="num">\#(name) rate</th>"#
        }.joined()
        html += """
            <details><summary>The numbers behind the charts</summary>
            <table id="timeline"><caption>Cumulative per hour</caption>
            <thead><tr><th scope="col">Hour ending</th>\(heads)<th scope="col" class="num">Always-valid p</th>\
            <th scope="col" class="num">SRM p</th><th scope="col">Decision</th></tr></thead><tbody>
            """
        for point in timeline.points {
            let cells = timeline.variants.map { variant in
                guard let value = point.variants.first(where: { $0.variant == variant }) else {
                    return #"<td class="num">—</td><td class="num">—</td><td class="num">—</td>"#
                }
                return #"<td class="num">\#(value.users)</td><td class="num">\#(value.conversions)</td>"#
                    + #"<td class="num">\#(ConsoleFormat.percent(value.conversionRate))</td>"#
            }.joined()
            html += """
                <tr><th scope="row">\(ConsoleFormat.time(point.hourEnding))</th>\(cells)\
                <td class="num">\(ConsoleFormat.number(point.alwaysValidPValue, digits: 4))</td>\
                <td class="num">\(ConsoleFormat.number(point.srmPValue, digits: 4))</td>\
                <td>\(HTML.escape(point.decision.rawValue))</td></tr>
                """
        }
        return html + "</tbody></table></details>"
    }
}
