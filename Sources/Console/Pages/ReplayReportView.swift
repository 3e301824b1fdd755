import Experiments
import Foundation
import Functions

/// A version's last replay in its row of the Models page: the off-policy estimates of its conversions per request
/// on logged traffic (IPS and SNIPS with their intervals), how much of the traffic they could use, and the rate the
/// version achieved where it actually served — or the command that writes one.
///
/// Figures carry `data-replay` names (`ips`, `snips`, `usable`, `traces`, `online`, `none`) for tests and the
/// browser check.
struct ReplayReportView {
    var version: String
    var report: ReplayReport?

    func render() -> String {
        guard let report else {
            return #"<small data-replay="none">not replayed — <code>rideease eval --replay --version "#
                + #"\#(HTML.escape(version))</code></small>"#
        }
        let estimate = report.estimate
        let level = "\(ConsoleFormat.number(estimate.confidence * 100, digits: 0)) % CI"
        let hours = Int((report.windowEnd.timeIntervalSince(report.windowStart) / 3600).rounded())
        let skipped = report.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            .joined(separator: ", ")
        let online =
            report.online.map { rate in
                #"<span data-replay="online">\#(Self.interval(rate.rate, rate.lower, rate.upper))</span> "#
                    + "<small>(\(rate.conversions) of \(rate.requests) requests, Wilson \(level))</small>"
            } ?? #"<span data-replay="online">did not serve alone in the window</span>"#
        return """
            <dl class="replay" data-replay-version="\(HTML.escape(report.version))">\
            <dt>IPS</dt><dd><span data-replay="ips">\(Self.interval(estimate.ips))</span></dd>\
            <dt>SNIPS</dt><dd><span data-replay="snips">\(Self.interval(estimate.snips))</span> <small>\(level)</small></dd>\
            <dt>Online</dt><dd>\(online)</dd>\
            </dl><small><span data-replay="usable">\(report.usable)</span> of \
            <span data-replay="traces">\(report.traces)</span> traces usable\(skipped.isEmpty ? "" : " (skipped: \(HTML.escape(skipped)))"); \
            \(ShadowPage.windowLabel(hours)) to \(ConsoleFormat.time(report.windowEnd))</small>
            """
    }

    /// `0.0123 [0.0050, 0.0196]`: conversions per request with the interval's bounds.
    static func interval(_ value: ReplayInterval) -> String {
        interval(value.value, value.lower, value.upper)
    }

    static func interval(_ value: Double, _ lower: Double, _ upper: Double) -> String {
        "\(ConsoleFormat.number(value, digits: 4)) "
            + "[\(ConsoleFormat.number(lower, digits: 4)), \(ConsoleFormat.number(upper, digits: 4))]"
    }
}
