import Experiments
import Foundation
import Functions

/// CUPED on an A/B experiment's page. The raw and the adjusted difference sit side by side, because the point of
/// CUPED is the comparison: the same effect with a narrower interval (variance reduction ≈ ρ²), so fewer riders
/// are needed. The chart shows both differences with their 95 % intervals hour by hour.
extension ABExperimentView {
    var cupedSection: String {
        let heading = #"<section class="panel" aria-labelledby="cuped-title"><h2 id="cuped-title">CUPED</h2>"#
        guard let result = summary.cuped else {
            return heading
                + #"<p id="cuped-off">CUPED is off for this experiment: the decision uses the raw difference.</p></section>"#
        }
        guard let cuped = result.value else {
            let reason = HTML.escape(result.insufficientDataReason ?? "not enough data")
            return heading + #"<p class="notice" id="cuped-insufficient">Not estimated yet: \#(reason)</p></section>"#
        }
        func interval(_ value: EstimateInterval) -> String {
            "[\(ConsoleFormat.number(value.lower, digits: 4)), \(ConsoleFormat.number(value.upper, digits: 4))]"
        }
        func riders(_ count: Int?) -> String { count.map(String.init) ?? "—" }
        return heading + """
            <p>The decision uses the adjusted difference: the rider's conversions in the \(cuped.preWindowDays) days \
            before first exposure explain part of the outcome's noise, which CUPED removes without moving the estimate.</p>
            <table id="cuped">
            <caption>Treatment − control, raw and CUPED-adjusted</caption>
            <thead><tr><th scope="col">Figure</th><th scope="col" class="num">Raw</th>\
            <th scope="col" class="num">CUPED-adjusted</th></tr></thead><tbody>
            <tr><th scope="row">Difference</th><td class="num" data-cuped="raw-estimate">\
            \(ConsoleFormat.number(cuped.raw.estimate, digits: 4))</td><td class="num" data-cuped="adjusted-estimate">\
            \(ConsoleFormat.number(cuped.adjusted.estimate, digits: 4))</td></tr>
            <tr><th scope="row">95 % CI</th><td class="num" data-cuped="raw-ci">\(interval(cuped.raw))</td>\
            <td class="num" data-cuped="adjusted-ci">\(interval(cuped.adjusted))</td></tr>
            <tr><th scope="row">Standard error</th><td class="num" data-cuped="raw-se">\
            \(ConsoleFormat.number(cuped.rawStandardError, digits: 5))</td><td class="num" data-cuped="adjusted-se">\
            \(ConsoleFormat.number(cuped.adjustedStandardError, digits: 5))</td></tr>
            <tr><th scope="row">Riders needed for the target effect</th><td class="num" data-cuped="raw-needed">\
            \(riders(cuped.usersNeeded.raw))</td><td class="num" data-cuped="adjusted-needed">\
            \(riders(cuped.usersNeeded.adjusted))</td></tr>
            </tbody></table>
            <dl class="facts" id="cuped-facts">
            <dt>Correlation ρ (outcome, pre-period)</dt><dd id="cuped-rho">\(ConsoleFormat.number(cuped.correlation, digits: 3))</dd>
            <dt>θ</dt><dd>\(ConsoleFormat.number(cuped.theta, digits: 4))</dd>
            <dt>Variance reduction</dt><dd id="cuped-variance-reduction">\(ConsoleFormat.percent(cuped.varianceReduction))</dd>
            <dt>Adjusted z, fixed-horizon p</dt><dd>\(ConsoleFormat.number(cuped.z, digits: 3)), \
            \(ConsoleFormat.number(cuped.pValue, digits: 4))</dd>
            <dt>Riders without history</dt><dd id="cuped-without-history">\(cuped.ridersWithoutHistory)</dd>
            <dt>Pre-window</dt><dd id="cuped-pre-window">\(cuped.preWindowDays) days</dd>
            </dl></section>
            """
    }

    /// Raw and adjusted differences with their intervals, when the timeline has any CUPED point.
    func cupedCharts(_ timeline: ExperimentTimeline) -> [LineChart] {
        guard timeline.points.contains(where: { $0.cuped != nil }) else { return [] }
        let raw = timeline.points.map { $0.cuped?.raw }
        let adjusted = timeline.points.map { $0.cuped?.adjusted }
        return [
            LineChart(
                id: "cuped", title: "Treatment − control with 95 % CI: raw and CUPED-adjusted",
                times: timeline.points.map(\.hourEnding),
                series: [
                    .init(name: "raw", values: raw.map { $0?.estimate }),
                    .init(name: "CUPED-adjusted", values: adjusted.map { $0?.estimate }),
                ], yMax: nil, format: { ConsoleFormat.number($0, digits: 4) }, yMin: nil,
                bands: [
                    .init(name: "raw 95 % CI", lower: raw.map { $0?.lower }, upper: raw.map { $0?.upper }),
                    .init(
                        name: "CUPED-adjusted 95 % CI", lower: adjusted.map { $0?.lower },
                        upper: adjusted.map { $0?.upper }),
                ])
        ]
    }
}
