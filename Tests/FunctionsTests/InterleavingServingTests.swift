import Foundation
import FunctionRuntime
import Functions
import Testing

/// Interleaving through the real handlers on two instances sharing one store: one instance drafts the lists,
/// the other receives the conversions and must credit the arm that placed each chosen item.
@Suite("experiments: interleaving across instances")
struct InterleavingServingTests {
    /// v0.1.0 (iALS) and v0.2.0 (popularity) registered; an interleaving experiment popularity vs iALS running.
    static func interleavingFixture() async throws -> HandlerFixture {
        let fixture = try await ServingTests.servingFixture()
        try await ServingTests.registerPopularity(fixture)
        #expect(try await fixture.call("stopExperiment", pathParameters: ["experimentId": "rec-engine"]).status == 200)
        let body = """
            {"id":"draft-1","design":"interleaving","variants":[{"name":"control","weight":0.5,"version":"v0.2.0"},
             {"name":"treatment","weight":0.5,"version":"v0.1.0"}]}
            """
        #expect(try await fixture.call("createExperiment", body: body).status == 201)
        let started = try await fixture.call("startExperiment", pathParameters: ["experimentId": "draft-1"])
        #expect(started.status == 200, "\(String(decoding: started.body, as: UTF8.self))")
        return fixture
    }

    @Test func conversionsCreditTheArmThatPlacedTheItemWhicheverInstanceServedIt() async throws {
        let first = try await Self.interleavingFixture()
        let second = try HandlerFixture(sharing: first)
        await second.refresh()
        var expected = (wins: 0, losses: 0, ties: 0)
        var firstPicks: Set<String> = []
        var served: [(rider: String, requestId: String, items: [[String: Any]])] = []
        for index in 1...40 {
            let rider = "rider-\(String(format: "%04d", index))"
            let answer = try second.json(
                try await second.call("recommend", body: #"{"userId":"\#(rider)","limit":6}"#))
            #expect(answer["variant"] as? String == "interleaved")
            let draft = try #require(answer["interleaving"] as? [String: Any])
            #expect(draft["controlVersion"] as? String == "v0.2.0")
            #expect(draft["treatmentVersion"] as? String == "v0.1.0")
            firstPicks.insert(try #require(draft["firstPick"] as? String))
            let items = try #require(answer["recommendations"] as? [[String: Any]])
            #expect(items.count == 6)
            let arms = items.compactMap { $0["arm"] as? String }
            #expect(arms.count == items.count && Set(arms).isSubset(of: ["control", "treatment", "both"]))
            #expect(Set(items.compactMap { $0["itemId"] as? String }).count == items.count, "no item twice")
            served.append((rider, try #require(answer["requestId"] as? String), items))
        }
        // The serving instance flushes its traces (as it does every few seconds); the other one reads them.
        await second.shutdown()
        for (index, (rider, requestId, items)) in served.enumerated() {
            let trace = try first.json(try await first.call("getTrace", pathParameters: ["requestId": requestId]))
            #expect(
                (trace["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["arm"] as? String }
                    == items.compactMap { $0["arm"] as? String })
            // Every third rider chooses a treatment item, every third a control item, the rest a shared one.
            let wanted = ["treatment", "control", "both"][(index + 1) % 3]
            guard let chosen = items.first(where: { $0["arm"] as? String == wanted })?["itemId"] as? String else {
                continue
            }
            switch wanted {
            case "treatment": expected.wins += 1
            case "control": expected.losses += 1
            default: expected.ties += 1
            }
            let conversion = """
                {"type":"conversion","userId":"\(rider)","itemId":"\(chosen)","requestId":"\(requestId)",
                 "timestamp":\(Int(first.clock.now().timeIntervalSince1970))}
                """
            #expect(try await first.call("ingestEvents", body: conversion).status == 200)
        }
        #expect(firstPicks == ["control", "treatment"], "both teams pick first sometimes")
        await first.shutdown()
        let response = try await first.call("experimentSummary", pathParameters: ["experimentId": "draft-1"])
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let summary = try first.json(response)
        #expect(summary["design"] as? String == "interleaving")
        #expect(summary["exposedRiders"] as? Int == 40)
        #expect(summary["wins"] as? Int == expected.wins)
        #expect(summary["losses"] as? Int == expected.losses)
        #expect(summary["ties"] as? Int == expected.ties)
        #expect(summary["riders"] as? Int == expected.wins + expected.losses + expected.ties)
        let picks = try #require(summary["firstPicks"] as? [String: Int])
        #expect((picks["control"] ?? 0) + (picks["treatment"] ?? 0) == 40)
        #expect(summary["decision"] as? String == "keep-running", "a few dozen riders decide nothing")
        let timeline = try first.json(
            try await first.call("experimentTimeline", pathParameters: ["experimentId": "draft-1"]))
        let last = try #require((timeline["points"] as? [[String: Any]])?.last)
        #expect((last["interleaving"] as? [String: Any])?["wins"] as? Int == expected.wins)
    }
}
