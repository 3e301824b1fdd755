import Foundation
import FunctionRuntime
import Recommender
import Testing

/// The whole loop through the real handlers: riders of a simulated world ask for recommendations, book (or not)
/// with the world's ground-truth probabilities, their conversions are posted as events, and the experiment summary
/// must tell the better model apart — ship iALS over popularity, roll back popularity over iALS.
@Suite("closed-loop A/B test through the summary")
struct ClosedLoopExperimentTests {
    static let hours = 3

    @Test(arguments: [("popularity", "ials", "ship"), ("ials", "popularity", "rollback")])
    func theSummaryPicksTheBetterModel(control: String, treatment: String, expected: String) async throws {
        var configuration = RideWorldConfiguration()
        configuration.riders = 1600
        configuration.places = 120
        configuration.days = 14
        let world = try RideWorld(configuration: configuration)
        let fixture = try HandlerFixture(now: Date(timeIntervalSince1970: 1_767_225_600 + 20 * 86_400))
        try await Self.ingest(world.rides(), into: fixture)
        var versions: [String: String] = [:]
        // Popularity first: it becomes the deployed control the quality gate compares iALS with.
        for algorithm in ["popularity", "ials"] {
            let trained = try await fixture.call("train", body: #"{"algorithm":"\#(algorithm)","tune":false}"#)
            #expect(trained.status == 200, "\(String(decoding: trained.body, as: UTF8.self))")
            let model = try #require(try fixture.json(trained)["model"] as? [String: Any])
            versions[algorithm] = model["version"] as? String
        }
        for (target, algorithm) in [("control", control), ("treatment", treatment)] {
            let body = #"{"version":"\#(versions[algorithm] ?? "")","target":"\#(target)"}"#
            #expect(try await fixture.call("switchModel", body: body).status == 200)
        }
        await fixture.refresh()

        var random = SeededGenerator(seed: 2026)
        for hour in 0..<Self.hours {
            // Every rider comes back once an hour; a booking is posted as a conversion naming the request.
            var conversions: [String] = []
            for rider in world.riders {
                let answer = try fixture.json(
                    try await fixture.call("recommend", body: #"{"userId":"\#(rider.id)","limit":5}"#))
                let items = (answer["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["itemId"] as? String }
                guard let booked = world.simulateConversion(userId: rider.id, itemIds: items, using: &random),
                    let requestId = answer["requestId"] as? String
                else { continue }
                conversions.append(
                    #"{"type":"conversion","userId":"\#(rider.id)","itemId":"\#(booked)","requestId":"\#(requestId)","#
                        + #""timestamp":\#(Int(fixture.clock.now().timeIntervalSince1970))}"#)
            }
            try await Self.post(conversions, to: fixture)
            if hour < Self.hours - 1 { fixture.clock.advance(by: .seconds(3600)) }
        }
        await fixture.shutdown()

        let summary = try fixture.json(
            try await fixture.call(
                "experimentSummary", pathParameters: ["experimentId": "rec-engine"], query: ["windowHours": "24"]))
        let variants = try #require(summary["variants"] as? [[String: Any]])
        let users = variants.compactMap { $0["users"] as? Int }
        #expect(users.reduce(0, +) == world.riders.count, "every rider is exposed exactly once in the window")
        #expect(summary["decision"] as? String == expected, "\(summary["reason"] ?? "")")

        let timeline = try fixture.json(
            try await fixture.call(
                "experimentTimeline", pathParameters: ["experimentId": "rec-engine"], query: ["windowHours": "24"]))
        let points = try #require(timeline["points"] as? [[String: Any]])
        #expect(points.count == 24)
        // Only the last `hours` hours have traffic; the always-valid p-value never rises from look to look.
        let pValues = points.compactMap { $0["alwaysValidPValue"] as? Double }
        #expect(pValues == pValues.sorted(by: >))
        #expect(points.last?["decision"] as? String == expected)
        #expect((pValues.last ?? 1) < 0.05)
    }

    static func ingest(_ rides: [Interaction], into fixture: HandlerFixture) async throws {
        try await post(
            rides.map { ride in
                #"{"type":"ride","userId":"\#(ride.userId)","itemId":"\#(ride.itemId)","timestamp":\#(ride.timestamp)}"#
            }, to: fixture)
    }

    static func post(_ lines: [String], to fixture: HandlerFixture) async throws {
        for batch in stride(from: 0, to: lines.count, by: 1000) {
            let body = #"{"events":["# + lines[batch..<min(batch + 1000, lines.count)].joined(separator: ",") + "]}"
            #expect(try await fixture.call("ingestEvents", body: body).status == 200)
        }
    }
}
