import Foundation
import Functions

/// The figures of `GET /admin/shadow/summary` as one table: all shadowed requests, each variant and its riders by
/// activity, then all variants by activity. Every cell carries the summary's field name (`data-field`) and every
/// row its group (`data-group`: `total`, `variant:control`, `variant:control:new`, `activity:new`), so a test or a
/// browser can hold each figure against the API's.
struct ShadowSummaryTable {
    var summary: ShadowSummary

    /// The activities in the order a reader expects (least history first), then any the summary adds.
    var activities: [String] {
        let known = RiderActivity.allCases.map(\.rawValue)
        let present = Set(summary.activity.keys).union(summary.variants.values.flatMap(\.activity.keys))
        return known + present.subtracting(known).sorted()
    }

    func render() -> String {
        var html = """
            <table id="shadow-summary">
            <caption>Shadow against served lists, \(ConsoleFormat.time(summary.windowStart)) to \
            \(ConsoleFormat.time(summary.windowEnd))</caption>
            <thead><tr><th scope="col">Requests</th><th scope="col" class="num">Scored</th>\
            <th scope="col" class="num">Errors</th><th scope="col" class="num">Dropped</th>\
            <th scope="col" class="num">Error rate</th><th scope="col" class="num">Mean Jaccard@k</th>\
            <th scope="col" class="num">Mean RBO</th><th scope="col" class="num">Top item changed</th>\
            <th scope="col" class="num">Riders</th><th scope="col" class="num">Riders whose top item changed</th>\
            <th scope="col" class="num">Scoring p50</th><th scope="col" class="num">Scoring p99</th></tr></thead>
            <tbody>
            """
        html += row("total", label: "All shadowed requests", summary.total, bold: true)
        for (variant, figures) in summary.variants.sorted(by: { $0.key < $1.key }) {
            html += row("variant:\(variant)", label: "Variant \(variant)", figures.total, bold: true)
            for activity in activities {
                html += row(
                    "variant:\(variant):\(activity)", label: "\(variant), \(activity) riders",
                    figures.activity[activity])
            }
        }
        for activity in activities {
            html += row("activity:\(activity)", label: "All variants, \(activity) riders", summary.activity[activity])
        }
        return html + """
            </tbody></table>
            <p class="lead">Jaccard@k compares the top-k sets (k = the length of the served list), RBO the orders \
            (p = 0.9, 1 = identical). Scoring times are the shadow's, off the response path: each percentile is the \
            upper bound of a 2 % bucket, the first of which holds everything up to 1 ms.</p>
            """
    }

    /// One group's figures; a group the summary does not list had no shadowed request.
    private func row(_ group: String, label: String, _ figures: ShadowSummary.Group?, bold: Bool = false) -> String {
        let cells: [(String, String)] = [
            ("scored", String(figures?.scored ?? 0)),
            ("errors", String(figures?.errors ?? 0)),
            ("dropped", String(figures?.dropped ?? 0)),
            ("errorRate", ConsoleFormat.percent(figures?.errorRate)),
            ("meanJaccard", ConsoleFormat.number(figures?.meanJaccard, digits: 4)),
            ("meanRbo", ConsoleFormat.number(figures?.meanRbo, digits: 4)),
            ("topItemChangedShare", ConsoleFormat.percent(figures?.topItemChangedShare)),
            ("riders", String(figures?.riders ?? 0)),
            ("ridersTopItemChangedShare", ConsoleFormat.percent(figures?.ridersTopItemChangedShare)),
            ("latencyP50Ms", Self.milliseconds(figures?.latencyP50Ms)),
            ("latencyP99Ms", Self.milliseconds(figures?.latencyP99Ms)),
        ]
        let name = bold ? "<strong>\(HTML.escape(label))</strong>" : HTML.escape(label)
        // A variant's or an activity's part of a total is indented under it.
        let part = bold ? "" : #" class="part""#
        return #"<tr data-group="\#(HTML.escape(group))"\#(part)><th scope="row">\#(name)</th>"#
            + cells.map { #"<td class="num" data-field="\#($0.0)">\#($0.1)</td>"# }.joined() + "</tr>\n"
    }

    /// A scoring time in milliseconds with three decimals (a popularity model scores in microseconds).
    static func milliseconds(_ value: Double?) -> String {
        value == nil ? "—" : "\(ConsoleFormat.number(value, digits: 3)) ms"
    }
}
