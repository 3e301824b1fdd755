import Emulator
import Experiments
import Foundation
import FunctionRuntime
import Functions
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Recommender
import Testing

@testable import Console

/// One experiment's page with real traffic: an interleaving experiment's wins, losses and ties (and their chart)
/// are the summary's, and an A/B experiment shows CUPED's raw and adjusted differences side by side.
@Suite("console experiment pages")
struct ConsoleExperimentPageTests {
    /// Two popularity models trained on different rides (v0.1.0 on one world, v0.2.0 after a second one), so
    /// their rankings differ and an interleaved list has items of each arm.
    static func seedDifferentModels(_ fixture: ConsoleFixture) async throws {
        for seed: UInt64 in [7, 8] {
            var configuration = RideWorldConfiguration()
            configuration.riders = 60
            configuration.places = 30
            configuration.days = 10
            configuration.seed = seed
            let events = try RideWorld(configuration: configuration).rides().map(RideEvent.init(ride:))
            try await EventLog(store: fixture.runtime.storage).append(events)
            let trained = await fixture.console.api.call("train", body: Data(#"{"algorithm":"popularity"}"#.utf8))
            try #require(trained.status == 200, "\(String(decoding: trained.body, as: UTF8.self))")
        }
        for task in fixture.runtime.bundle.backgroundTasks { await task.prepare() }
    }

    /// Recommendations for `riders` riders, and a conversion on an item of `arm(index)` (nil: none) for each;
    /// then the tallies are flushed.
    static func traffic(
        _ fixture: ConsoleFixture, riders: Int, arm: (Int, [[String: Any]]) -> [String: Any]?
    ) async throws {
        var conversions: [[String: Any]] = []
        for index in 0..<riders {
            let rider = "rider-\(String(format: "%04d", index))"
            let response = await fixture.console.api.call(
                "recommend", body: Data(#"{"userId":"\#(rider)","limit":6}"#.utf8))
            try #require(response.status == 200)
            let answer = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
            let items = answer["recommendations"] as? [[String: Any]] ?? []
            guard let item = arm(index, items), let itemId = item["itemId"] as? String else { continue }
            conversions.append([
                "type": "conversion", "userId": rider, "itemId": itemId,
                "requestId": answer["requestId"] as? String ?? "", "timestamp": Int(Date().timeIntervalSince1970),
            ])
        }
        let body = try JSONSerialization.data(withJSONObject: ["events": conversions])
        let ingested = await fixture.console.api.call("ingestEvents", body: body)
        try #require(ingested.status == 200, "\(String(decoding: ingested.body, as: UTF8.self))")
        for task in fixture.runtime.bundle.backgroundTasks { await task.shutdown() }
    }

    func read(_ fixture: ConsoleFixture, _ handler: String, _ id: String) async throws -> [String: Any] {
        let response = await fixture.console.api.call(handler, pathParameters: ["experimentId": id])
        try #require(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        return try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    func summary<Summary: Decodable & Sendable>(
        _ type: Summary.Type, _ fixture: ConsoleFixture, _ id: String
    ) async throws -> Summary {
        let response = await fixture.console.api.call("experimentSummary", pathParameters: ["experimentId": id])
        try #require(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        return try JSONCoding.decoder.decode(Summary.self, from: response.body)
    }

    func page(_ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String) async throws -> String {
        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
        #expect(response.status == .ok, "\(path)")
        return ConsoleFixture.text(response)
    }

    @Test func anInterleavingPageShowsTheSummarysWinsLossesTiesAndTheirChart() async throws {
        try await ConsoleFixture.with { fixture in
            try await Self.seedDifferentModels(fixture)
            let api = fixture.console.api
            #expect(await api.call("stopExperiment", pathParameters: ["experimentId": "rec-engine"]).status == 200)
            let body =
                #"{"id":"inter-1","design":"interleaving","variants":[{"name":"control","version":"v0.1.0"},"#
                + #"{"name":"treatment","version":"v0.2.0"}]}"#
            #expect(await api.call("createExperiment", body: Data(body.utf8)).status == 201)
            #expect(await api.call("startExperiment", pathParameters: ["experimentId": "inter-1"]).status == 200)
            try await Self.traffic(fixture, riders: 45) { index, items in
                let wanted = ["treatment", "control", "both"][index % 3]
                return items.first { $0["arm"] as? String == wanted }
            }
            let summary = try await summary(InterleavingSummary.self, fixture, "inter-1")
            let (wins, losses) = (summary.wins, summary.losses)
            #expect(wins > 0 && losses > 0, "the rankers differ, so each arm wins some riders")
            try await fixture.withApp { client in
                let html = try await page(client, fixture, "/_console/experiments/inter-1")
                #expect(html.contains(#"<dd id="design">interleaving</dd>"#))
                let shown = [
                    ("wins", summary.wins), ("losses", summary.losses), ("ties", summary.ties),
                    ("riders", summary.riders), ("exposed-riders", summary.exposedRiders),
                ]
                for (id, value) in shown {
                    #expect(html.contains(#"<td class="num" id="\#(id)">\#(value)</td>"#), "\(id) \(value)")
                }
                let picks = summary.firstPicks
                #expect(html.contains(#"<span id="first-picks-control">\#(picks.control)</span>"#))
                #expect(html.contains(#"<span id="first-picks-treatment">\#(picks.treatment)</span>"#))
                let decision = summary.decision.rawValue
                #expect(html.contains(#"<strong id="decision" class="decision-\#(decision)">\#(decision)</strong>"#))
                let pValue = ConsoleFormat.number(summary.pValue, digits: 4)
                #expect(html.contains(#"<dd id="sign-test-p">\#(pValue)</dd>"#))
                let chart = try #require(html.components(separatedBy: #"data-chart="outcomes""#).dropFirst().first)
                    .components(separatedBy: "</svg>")[0]
                let series = chart.components(separatedBy: #"<g class="series" data-series=""#).dropFirst()
                    .map { String($0.prefix { $0 != "\"" }) }
                #expect(series == ["wins", "losses", "ties"])
                let timeline = try await read(fixture, "experimentTimeline", "inter-1")
                let points = try #require(timeline["points"] as? [[String: Any]])
                let last = try #require(points.last?["interleaving"] as? [String: Any])
                #expect(last["wins"] as? Int == wins)
                let rows = try #require(html.components(separatedBy: #"<table id="timeline">"#).last)
                #expect(rows.contains(#"<td class="num">\#(wins)</td><td class="num">\#(losses)</td>"#))
                #expect(!html.contains(#"id="cuped""#), "no CUPED under interleaving")
            }
        }
    }

    @Test func anABPageShowsCupedRawAndAdjustedSideBySideWithItsChart() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            try await Self.traffic(fixture, riders: 60) { index, items in index % 3 == 0 ? items.first : nil }
            let summary = try await summary(ExperimentSummary.self, fixture, "rec-engine")
            let cuped = try #require(summary.cuped?.value, "CUPED is on for the seeded experiment and estimable")
            try await fixture.withApp { client in
                let html = try await page(client, fixture, "/_console/experiments/rec-engine")
                #expect(html.contains(#"<dd id="design">ab</dd>"#))
                let table = try #require(html.components(separatedBy: #"<table id="cuped">"#).dropFirst().first)
                    .components(separatedBy: "</table>")[0]
                #expect(table.contains(#"<th scope="col" class="num">Raw</th>"#))
                #expect(table.contains(#"<th scope="col" class="num">CUPED-adjusted</th>"#))
                let sides = [
                    ("raw", cuped.raw, cuped.rawStandardError),
                    ("adjusted", cuped.adjusted, cuped.adjustedStandardError),
                ]
                for (side, interval, error) in sides {
                    let estimate = ConsoleFormat.number(interval.estimate, digits: 4)
                    #expect(table.contains(#"data-cuped="\#(side)-estimate">\#(estimate)</td>"#), "\(side)")
                    let ci =
                        "[\(ConsoleFormat.number(interval.lower, digits: 4)), "
                        + "\(ConsoleFormat.number(interval.upper, digits: 4))]"
                    #expect(table.contains(#"data-cuped="\#(side)-ci">\#(ci)</td>"#), "\(side) \(ci)")
                    #expect(table.contains(#"data-cuped="\#(side)-se">\#(ConsoleFormat.number(error, digits: 5))"#))
                }
                #expect(html.contains(#"<dd id="cuped-without-history">\#(cuped.ridersWithoutHistory)</dd>"#))
                #expect(html.contains(#"<dd id="cuped-pre-window">\#(cuped.preWindowDays) days</dd>"#))
                let rho = ConsoleFormat.number(cuped.correlation, digits: 3)
                #expect(html.contains(#"<dd id="cuped-rho">\#(rho)</dd>"#))
                let reduction = ConsoleFormat.percent(cuped.varianceReduction)
                #expect(html.contains(#"<dd id="cuped-variance-reduction">\#(reduction)</dd>"#))
                let chart = try #require(html.components(separatedBy: #"data-chart="cuped""#).dropFirst().first)
                    .components(separatedBy: "</svg>")[0]
                #expect(chart.contains(#"<g class="band" data-band="raw 95 % CI""#))
                #expect(chart.contains(#"<g class="series" data-series="CUPED-adjusted""#))
                #expect(chart.contains("<polygon") || chart.contains("<rect"), "the intervals are drawn")
            }
        }
    }
}
