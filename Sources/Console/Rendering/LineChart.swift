import Foundation

/// A small line chart drawn as inline SVG on the server (no chart library, no script): one `<g class="series">`
/// per series, a gap where a value is missing, axes with the first and last time, and a data table beside it for
/// people who cannot see the lines. Optional shaded bands draw intervals (a 95 % CI around an estimate).
struct LineChart {
    /// One line.
    struct Series {
        var name: String
        /// One value per time; `nil` leaves a gap.
        var values: [Double?]
    }

    var id: String
    var title: String
    var times: [Date]
    var series: [Series]
    /// The top of the y axis; the largest value (or 1) when `nil`.
    var yMax: Double?
    /// How y tick labels are written.
    var format: (Double) -> String = { ConsoleFormat.number($0, digits: 3) }
    /// The bottom of the y axis; `nil` fits it to the data (at most 0), for values that can be negative such as
    /// a difference between variants.
    var yMin: Double? = 0
    /// Intervals shaded behind the lines, the Nth in the Nth series' colour.
    var bands: [Band] = []

    /// A shaded interval over time: one lower and one upper bound per time, `nil` leaving a gap.
    struct Band {
        var name: String
        var lower: [Double?]
        var upper: [Double?]
    }

    static let width = 560.0
    static let height = 220.0
    private static let left = 56.0
    private static let right = 12.0
    private static let top = 12.0
    private static let bottom = 36.0
    /// Colours in the order of the legend swatches (`.swatch-N`): distinguishable and 3:1 against white.
    static let colours = ["#0b57d0", "#c5221f", "#188038", "#8430ce", "#b06000"]

    var svg: String {
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let values =
            series.flatMap { $0.values.compactMap { $0 } }
            + bands.flatMap { $0.lower.compactMap { $0 } + $0.upper.compactMap { $0 } }
        let finite = values.filter(\.isFinite)
        let largest = finite.max() ?? 0
        let floor = yMin ?? min(0, (finite.min() ?? 0) * 1.1)
        let ceiling = yMax ?? (largest > 0 ? largest * 1.1 : (floor < 0 ? 0 : 1))
        let top = ceiling > floor ? ceiling : floor + 1
        func x(_ index: Int) -> Double {
            times.count > 1
                ? Self.left + plotWidth * Double(index) / Double(times.count - 1) : Self.left + plotWidth / 2
        }
        func y(_ value: Double) -> Double {
            Self.top + plotHeight * (1 - min(max((value - floor) / (top - floor), 0), 1))
        }
        var svg = """
            <svg viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" width="\(Int(Self.width))" \
            height="\(Int(Self.height))" role="img" aria-labelledby="\(HTML.escape(id))-title" \
            data-chart="\(HTML.escape(id))"><title id="\(HTML.escape(id))-title">\(HTML.escape(title))</title>
            """
        for fraction in [0.0, 0.5, 1.0] {
            let tick = floor + (top - floor) * fraction
            let level = y(tick)
            svg +=
                #"<line class="grid" x1="\#(Self.left)" x2="\#(Self.width - Self.right)" y1="\#(level)" y2="\#(level)"/>"#
            svg +=
                #"<text x="\#(Self.left - 6)" y="\#(level + 4)" text-anchor="end">\#(HTML.escape(format(tick)))</text>"#
        }
        let baseline = Self.top + plotHeight
        if floor < 0, top > 0 {
            svg +=
                #"<line class="axis zero" x1="\#(Self.left)" x2="\#(Self.width - Self.right)" y1="\#(y(0))" y2="\#(y(0))"/>"#
        }
        for (index, band) in bands.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            // A band is drawn where both bounds are known.
            let lower: [Double?] = zip(band.lower, band.upper).map { lower, upper in
                upper.map(\.isFinite) == true ? lower : nil
            }
            svg += #"<g class="band" data-band="\#(HTML.escape(band.name))" fill="\#(colour)" fill-opacity="0.15">"#
            for run in Self.runs(lower) {
                let upperEdge = run.map { (x: x($0.index), y: y(band.upper[$0.index] ?? $0.value)) }
                let lowerEdge = run.reversed().map { (x: x($0.index), y: y($0.value)) }
                if let only = upperEdge.first, let base = lowerEdge.first, run.count == 1 {
                    svg += #"<rect x="\#(only.x - 3)" y="\#(only.y)" width="6" height="\#(base.y - only.y)"/>"#
                } else {
                    let points = (upperEdge + lowerEdge).map { String(format: "%.1f,%.1f", $0.x, $0.y) }
                    svg += #"<polygon points="\#(points.joined(separator: " "))"/>"#
                }
            }
            svg += "</g>"
        }
        svg +=
            #"<line class="axis" x1="\#(Self.left)" x2="\#(Self.width - Self.right)" y1="\#(baseline)" y2="\#(baseline)"/>"#
        svg += #"<line class="axis" x1="\#(Self.left)" x2="\#(Self.left)" y1="\#(Self.top)" y2="\#(baseline)"/>"#
        if let first = times.first, let last = times.last {
            svg += #"<text x="\#(Self.left)" y="\#(Self.height - 12)">\#(ConsoleFormat.time(first))</text>"#
            svg +=
                #"<text x="\#(Self.width - Self.right)" y="\#(Self.height - 12)" text-anchor="end">\#(ConsoleFormat.time(last))</text>"#
        }
        for (index, line) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            svg += #"<g class="series" data-series="\#(HTML.escape(line.name))" stroke="\#(colour)">"#
            for run in Self.runs(line.values) {
                let points = run.map { String(format: "%.1f,%.1f", x($0.index), y($0.value)) }
                if let only = run.first, run.count == 1 {
                    svg += #"<circle cx="\#(x(only.index))" cy="\#(y(only.value))" r="3" fill="\#(colour)"/>"#
                } else {
                    svg += #"<polyline points="\#(points.joined(separator: " "))"/>"#
                }
            }
            svg += "</g>"
        }
        svg += "</svg>"
        let legend = series.enumerated().map { index, line in
            #"<span><span class="swatch swatch-\#(index % Self.colours.count)" aria-hidden="true"></span>\#(HTML.escape(line.name))</span>"#
        }.joined()
        return
            #"<figure class="chart" id="chart-\#(HTML.escape(id))"><figcaption>\#(HTML.escape(title))</figcaption>\#(svg)<div class="legend">\#(legend)</div></figure>"#
    }

    /// Runs of consecutive finite values with their indices: each becomes one polyline (or a dot).
    static func runs(_ values: [Double?]) -> [[(index: Int, value: Double)]] {
        var runs: [[(index: Int, value: Double)]] = []
        var current: [(index: Int, value: Double)] = []
        for (index, value) in values.enumerated() {
            if let value, value.isFinite {
                current.append((index, value))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
