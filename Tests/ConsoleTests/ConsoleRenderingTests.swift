import Foundation
import Logging
import Testing

@testable import Console

@Suite("console rendering: escaping, path segments, charts")
struct ConsoleRenderingTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        (#"" onmouseover="x"#, "&quot; onmouseover=&quot;x"),
        ("it's", "it&#39;s"),
        ("a & b &amp;", "a &amp; b &amp;amp;"),
        ("naïve 🚕", "naïve 🚕"),
    ])
    func escapesEveryCharacterThatEndsTextOrAnAttribute(input: String, expected: String) {
        #expect(HTML.escape(input) == expected)
    }

    @Test func pathSegmentsArePercentEncodedThenEscaped() {
        #expect(HTML.pathSegment("admin-models") == "admin-models")
        #expect(HTML.pathSegment("../x\"><b>") == "..%2Fx%22%3E%3Cb%3E")
        #expect(HTML.pathSegment("a b&c") == "a%20b%26c")
    }

    @Test func aChartHasOneSeriesPerLineAndGapsWhereValuesAreMissing() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let chart = LineChart(
            id: "rates", title: "Conversion <rate>", times: (0..<4).map { start.addingTimeInterval(Double($0) * 3600) },
            series: [
                .init(name: "control", values: [0.1, 0.2, nil, 0.3]),
                .init(name: "treat\"ment", values: [0.2, 0.25, 0.3, 0.35]),
            ], yMax: nil)
        let svg = chart.svg
        #expect(svg.components(separatedBy: #"<g class="series""#).count - 1 == 2)
        #expect(svg.contains(#"data-series="control""#))
        #expect(svg.contains(#"data-series="treat&quot;ment""#), "names are escaped in attributes")
        #expect(svg.contains("Conversion &lt;rate&gt;"))
        // control: a line over the first two hours, a dot for the last one; treatment: one line.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 1)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func differencesBelowZeroFitTheAxisWithAZeroLineAndShadedIntervals() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let chart = LineChart(
            id: "cuped", title: "difference", times: [start, start.addingTimeInterval(3600)],
            series: [.init(name: "raw", values: [-0.02, 0.01])], yMax: nil, yMin: nil,
            bands: [.init(name: "raw CI", lower: [-0.05, -0.01], upper: [0.01, 0.03])])
        let svg = chart.svg
        #expect(svg.components(separatedBy: #"class="axis zero""#).count - 1 == 1)
        #expect(svg.components(separatedBy: "<polygon").count - 1 == 1)
        #expect(
            svg.contains(##"<g class="band" data-band="raw CI" fill="#0b57d0""##), "the band takes its line's colour")
        let points = try #require(svg.components(separatedBy: #"<polyline points=""#).dropFirst().first)
            .prefix { $0 != "\"" }.split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        let zero = try #require(
            svg.components(separatedBy: #"class="axis zero" x1="56.0" x2="548.0" y1=""#).dropFirst().first
                .flatMap { Double($0.prefix { $0 != "\"" }) })
        let baseline = LineChart.height - 36
        #expect(points.count == 2)
        #expect(points[0][1] > zero && points[0][1] < baseline, "a negative value sits below zero, not on the axis")
        #expect(points[1][1] < zero, "a positive value sits above zero")
    }

    @Test func runsSplitAtMissingAndNonFiniteValues() {
        let runs = LineChart.runs([1, nil, 2, 3, .nan, 4])
        #expect(runs.map { $0.map(\.index) } == [[0], [2, 3], [5]])
    }

    @Test func aChartWithOneTimeOrNoValuesStillDraws() {
        let one = LineChart(id: "x", title: "x", times: [Date()], series: [.init(name: "a", values: [5])], yMax: nil)
        #expect(one.svg.contains("<circle"))
        let none = LineChart(id: "y", title: "y", times: [], series: [.init(name: "a", values: [])], yMax: 1)
        #expect(none.svg.contains(#"data-series="a""#))
        #expect(!none.svg.contains("<polyline"))
    }

    @Test func numbersAndTimesReadTheSameEverywhere() {
        #expect(ConsoleFormat.percent(0.0975) == "9.75%")
        #expect(ConsoleFormat.percent(nil) == "—")
        #expect(ConsoleFormat.number(.nan) == "—")
        #expect(ConsoleFormat.duration(seconds: 0.25) == "250 ms")
        #expect(ConsoleFormat.duration(seconds: 12.34) == "12.3 s")
        #expect(ConsoleFormat.time(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00Z")
        #expect(ConsoleFormat.short("0123456789abcdef", 4) == "0123…")
    }

    @Test func theLogRingKeepsTheNewestLinesAndFilters() {
        let ring = RecentLogLines(capacity: 3)
        for index in 0..<5 {
            ring.append(
                .init(
                    time: Date(timeIntervalSince1970: Double(index)), severity: "INFO", message: "m\(index)",
                    fields: ["function": index % 2 == 0 ? "even" : "odd", "requestId": "r\(index)"]))
        }
        #expect(ring.lines().map(\.message) == ["m4", "m3", "m2"])
        #expect(ring.lines(function: "even").map(\.message) == ["m4", "m2"])
        #expect(ring.lines(function: "odd", requestId: "r3").map(\.message) == ["m3"])
        #expect(ring.lines(requestId: "r0").isEmpty, "evicted")
        #expect(ring.lines(limit: 1).map(\.message) == ["m4"])
    }
}
