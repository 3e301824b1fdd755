import Experiments
import Foundation
import FunctionRuntime
import MetricsTestKit
import Recommender
import Testing

@testable import Functions

/// Shadow deployments through the real handlers over a real file store: the lifecycle across two instances, the
/// agreement figures against a direct computation, faults that must never reach an answer, and bad input.
@Suite("shadow deployments")
struct ShadowDeploymentTests {
    /// v0.1.0 (iALS) serving, v0.2.0 (popularity) registered.
    static func fixture(
        shadowScoring: @escaping ShadowScorer.Scoring = ShadowScorer.modelScoring
    ) async throws -> HandlerFixture {
        let fixture = try HandlerFixture(shadowScoring: shadowScoring)
        try await TrainAndModelsTests.seed(fixture)
        #expect(try await fixture.call("train", body: #"{"tune":false}"#).status == 200)
        await fixture.refresh()  // the first instance deploys the only version, v0.1.0
        try await ServingTests.registerPopularity(fixture)
        return fixture
    }

    /// Waits until every handed-over shadow job has finished. They run on the idle-priority background thread, which
    /// a test run saturating both cores may hold back for a while: up to a minute.
    static func settle(_ fixture: HandlerFixture) async throws {
        let recommend = try #require(fixture.bundle.handlers["recommend"] as? Recommend)
        for _ in 0..<12_000 where recommend.serving.shadow.backlog > 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(recommend.serving.shadow.backlog == 0)
    }

    static func items(_ answer: [String: Any]) -> [String] {
        (answer["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["itemId"] as? String }
    }

    static let riders = (1...30).map { "rider-\(String(format: "%04d", $0))" } + ["someone-new", "another-new"]

    @Test func aShadowStartedOnOneInstanceScoresOnTheOtherAndTheSummaryMatchesADirectComputation() async throws {
        let first = try await Self.fixture()
        let second = try HandlerFixture(sharing: first)
        await second.refresh()
        var before: [String: [String]] = [:]
        for rider in Self.riders {
            before[rider] = Self.items(
                try second.json(try await second.call("recommend", body: #"{"userId":"\#(rider)"}"#)))
        }
        let started = try await first.call(
            "startShadow", body: #"{"version":"v0.2.0","target":"all","samplePercent":100}"#)
        #expect(started.status == 200, "\(String(decoding: started.body, as: UTF8.self))")
        await second.refresh()  // the other instance picks it up with its deployment poll
        let shadowModel = try await ModelRegistry(store: first.store).loadModel(try #require(ModelVersion("v0.2.0"))).1
        var expected: (jaccard: Double, rbo: Double, changed: Int) = (0, 0, 0)
        for rider in Self.riders {
            let answer = try second.json(try await second.call("recommend", body: #"{"userId":"\#(rider)"}"#))
            let served = Self.items(answer)
            #expect(served == before[rider], "the shadow never changes the rider's answer")
            #expect(answer["modelVersion"] as? String == "v0.1.0")
            let shadow = shadowModel.recommendations(forUser: rider, limit: served.count).items.map(\.itemId)
            expected.jaccard += Self.referenceJaccard(served, shadow)
            expected.rbo += RankingAgreement.rankBiasedOverlap(served, shadow)
            expected.changed += served.first == shadow.first ? 0 : 1
        }
        try await Self.settle(second)
        // The serving instance's Prometheus series say the same, per variant.
        let scored = try ["control", "treatment"].map {
            try second.metrics.expectCounter(
                ShadowMetrics.requests, [("variant", $0), ("outcome", "scored")]
            ).totalValue
        }
        #expect(scored.reduce(0, +) == Int64(Self.riders.count))
        let rbo = try ["control", "treatment"].flatMap {
            try second.metrics.expectRecorder(ShadowMetrics.rbo, [("variant", $0)]).values
        }
        #expect(abs(rbo.reduce(0, +) - expected.rbo) < 1e-9)
        #expect(try second.metrics.expectRecorder(ShadowMetrics.active, [("version", "v0.2.0")]).lastValue == 1)
        await second.shutdown()
        let response = try await first.call("shadowSummary", query: ["windowHours": "2"])
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let summary = try JSONCoding.decoder.decode(ShadowSummary.self, from: response.body)
        #expect(summary.shadow?.version.description == "v0.2.0")
        #expect(summary.total.scored == Self.riders.count)
        #expect(summary.total.errors == 0 && summary.total.dropped == 0)
        #expect(summary.total.riders == Self.riders.count)
        #expect(abs((summary.total.meanJaccard ?? -1) - expected.jaccard / Double(Self.riders.count)) < 1e-12)
        #expect(abs((summary.total.meanRbo ?? -1) - expected.rbo / Double(Self.riders.count)) < 1e-12)
        #expect(summary.total.topItemChangedShare == Double(expected.changed) / Double(Self.riders.count))
        #expect(summary.variants.values.map(\.total.scored).reduce(0, +) == Self.riders.count)
        // New: unknown to the served model; heavy: 5 or more distinct destinations in its training data.
        let servedModel = try await ModelRegistry(store: first.store).loadModel(try #require(ModelVersion("v0.1.0"))).1
        let histories = Self.riders.map {
            servedModel.users.index(of: $0).map { servedModel.seenItems(ofUser: $0).count }
        }
        #expect(summary.activity["new"]?.scored ?? 0 == histories.filter { ($0 ?? 0) == 0 }.count)
        #expect(summary.activity["light"]?.scored ?? 0 == histories.filter { (1..<5).contains($0 ?? 0) }.count)
        #expect(summary.activity["heavy"]?.scored ?? 0 == histories.filter { ($0 ?? 0) >= 5 }.count)
        #expect(histories.filter { $0 == nil }.count >= 2, "the two unknown riders at least")
        #expect(summary.total.latencyP99Ms != nil)

        // Ended on the second instance; the first stops shadowing at its next poll, and the trail has both changes.
        #expect(try await second.call("stopShadow").status == 200)
        await first.refresh()
        _ = try await first.call("recommend", body: #"{"userId":"rider-0001"}"#)
        try await Self.settle(first)
        await first.shutdown()
        let after = try JSONCoding.decoder.decode(
            ShadowSummary.self, from: try await first.call("shadowSummary", query: ["windowHours": "2"]).body)
        #expect(after.total.scored == Self.riders.count, "no request is shadowed once it ended")
        #expect(after.shadow?.endedAt != nil)
        let current = try first.json(try await first.call("getShadow"))
        let actions = (current["audit"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
        #expect(actions == ["start", "end"])
        #expect(try await first.call("stopShadow").status == 409, "nothing left to end")
    }

    @Test func theServedVersionInShadowAgreesExactly() async throws {
        let fixture = try await Self.fixture()
        #expect(try await fixture.call("startShadow", body: #"{"version":"v0.1.0"}"#).status == 200)
        for rider in Self.riders { _ = try await fixture.call("recommend", body: #"{"userId":"\#(rider)","limit":7}"#) }
        try await Self.settle(fixture)
        await fixture.shutdown()
        let summary = try JSONCoding.decoder.decode(
            ShadowSummary.self, from: try await fixture.call("shadowSummary").body)
        #expect(summary.total.scored == Self.riders.count)
        #expect(summary.total.meanJaccard == 1)
        #expect(summary.total.meanRbo == 1)
        #expect(summary.total.topItemChangedShare == 0)
        #expect(summary.total.ridersTopItemChangedShare == 0)
    }

    @Test func samplingAndTargetDecideWhichRequestsAreShadowed() async throws {
        let fixture = try await Self.fixture()
        let body = #"{"version":"v0.2.0","target":"control","samplePercent":50}"#
        #expect(try await fixture.call("startShadow", body: body).status == 200)
        var controlRequests = 0
        for index in 0..<300 {
            let answer = try fixture.json(
                try await fixture.call("recommend", body: #"{"userId":"rider-\#(index % 60)","limit":3}"#))
            if answer["variant"] as? String == "control" { controlRequests += 1 }
        }
        try await Self.settle(fixture)
        await fixture.shutdown()
        let summary = try JSONCoding.decoder.decode(
            ShadowSummary.self, from: try await fixture.call("shadowSummary").body)
        #expect(Set(summary.variants.keys) == ["control"], "only the targeted variant")
        // Half of the control's requests, within 4.5 binomial standard deviations.
        let bound = 4.5 * (Double(controlRequests) * 0.25).squareRoot()
        #expect(abs(Double(summary.total.scored) - Double(controlRequests) / 2) <= bound)

        #expect(try await fixture.call("startShadow", body: #"{"version":"v0.2.0","samplePercent":0}"#).status == 200)
        let trail = try fixture.json(try await fixture.call("getShadow"))
        #expect(
            (trail["audit"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String } == ["start", "replace"])
    }

    @Test(arguments: ["failing", "slow"])
    func aFailingOrSlowShadowNeverReachesTheAnswers(fault: String) async throws {
        let failing: ShadowScorer.Scoring = { _, _, _, _ in throw ShadowFault() }
        let slow: ShadowScorer.Scoring = { model, user, limit, exclude in
            Thread.sleep(forTimeInterval: 0.25)
            return try ShadowScorer.modelScoring(model, user, limit, exclude)
        }
        let scoring = fault == "failing" ? failing : slow
        let fixture = try await Self.fixture(shadowScoring: scoring)
        var before: [String: [String]] = [:]
        for rider in Self.riders {
            before[rider] = Self.items(
                try fixture.json(try await fixture.call("recommend", body: #"{"userId":"\#(rider)"}"#)))
        }
        #expect(try await fixture.call("startShadow", body: #"{"version":"v0.2.0"}"#).status == 200)
        let recommend = try #require(fixture.bundle.handlers["recommend"] as? Recommend)
        var backlogSeen = 0
        for rider in Self.riders {
            let response = try await fixture.call("recommend", body: #"{"userId":"\#(rider)"}"#)
            #expect(response.status == 200)
            #expect(Self.items(try fixture.json(response)) == before[rider])
            backlogSeen = max(backlogSeen, recommend.serving.shadow.backlog)
        }
        if fault == "slow" {
            // Answers came back while the shadow was still scoring earlier requests: it is off the response path.
            #expect(backlogSeen > 1)
        }
        try await Self.settle(fixture)
        await fixture.shutdown()
        let summary = try JSONCoding.decoder.decode(
            ShadowSummary.self, from: try await fixture.call("shadowSummary").body)
        if fault == "failing" {
            #expect(summary.total.errors == Self.riders.count && summary.total.scored == 0)
            #expect(summary.total.errorRate == 1)
        } else {
            #expect(summary.total.scored == Self.riders.count && summary.total.errors == 0)
            #expect((summary.total.latencyP50Ms ?? 0) >= 250)
        }
    }

    @Test func aShadowThatFallsBehindDropsSamplesInsteadOfQueueingThem() async throws {
        let tallies = TallyAccumulator()
        let metrics = ShadowMetrics(variants: ["control"], factory: TestMetrics())
        let gate = DispatchSemaphore(value: 0)
        let scorer = ShadowScorer(tallies: tallies, metrics: metrics, capacity: 4) { _, _, _, _ in
            gate.wait()
            return ["a"]
        }
        let fixture = try await Self.fixture()
        let model = try await ModelRegistry(store: fixture.store).loadModel(try #require(ModelVersion("v0.1.0"))).1
        for index in 0..<10 {
            scorer.submit(
                ShadowScorer.Job(
                    experimentId: "e", version: "v9.9.9", variant: "control", userId: "rider-\(index)",
                    servedItems: ["a"], excludeSeen: false, model: model, served: model, at: Date()))
        }
        #expect(scorer.backlog == 4)
        for _ in 0..<4 { gate.signal() }
        for _ in 0..<12_000 where scorer.backlog > 0 { try await Task.sleep(for: .milliseconds(5)) }
        var counts = ShadowCounts()
        let byActivity = try #require(tallies.drain().first?.tally.shadow?.versions["v9.9.9"]?["control"])
        for activity in byActivity.values { counts.merge(activity) }
        #expect(counts.scored + counts.dropped == 10)
        #expect(counts.dropped == 6)
    }

    @Test(arguments: [
        (#"{"version":"v9.9.9"}"#, 404, "v9.9.9 does not exist"),
        (#"{"version":"latest"}"#, 400, "not a model version"),
        (#"{"version":"v0.2.0","samplePercent":101}"#, 400, "samplePercent must be from 0 to 100"),
        (#"{"version":"v0.2.0","samplePercent":-1}"#, 400, "samplePercent must be from 0 to 100"),
        (#"{"version":"v0.2.0","samplePercent":"half"}"#, 400, "samplePercent"),
        (#"{"version":"v0.2.0","target":"everyone"}"#, 400, "target must be one of: all, control, treatment"),
        (#"{"target":"all"}"#, 400, "version"),
        ("not json", 400, "JSON"),
    ])
    func badStartsAreRefusedWithTheReasonAndChangeNothing(body: String, status: Int, reason: String) async throws {
        let fixture = try await Self.fixture()
        let response = try await fixture.call("startShadow", body: body)
        #expect(response.status == status)
        #expect(String(decoding: response.body, as: UTF8.self).contains(reason))
        #expect(try await fixture.store.get("shadow/rec-engine.json") == nil, "nothing written")
        #expect(try await fixture.call("stopShadow").status == 409)
        for window in ["0", "721", "a day"] {
            let summary = try await fixture.call("shadowSummary", query: ["windowHours": window])
            #expect(summary.status == 400)
            #expect(String(decoding: summary.body, as: UTF8.self).contains("windowHours"))
        }
    }

    @Test func anInterleavingExperimentIsShadowedAsAWhole() async throws {
        let fixture = try await InterleavingServingTests.interleavingFixture()
        let refused = try await fixture.call("startShadow", body: #"{"version":"v0.1.0","target":"treatment"}"#)
        #expect(refused.status == 400)
        #expect(String(decoding: refused.body, as: UTF8.self).contains("target must be all"))
        #expect(try await fixture.call("startShadow", body: #"{"version":"v0.1.0"}"#).status == 200)
        for rider in Self.riders.prefix(6) { _ = try await fixture.call("recommend", body: #"{"userId":"\#(rider)"}"#) }
        try await Self.settle(fixture)
        await fixture.shutdown()
        let summary = try JSONCoding.decoder.decode(
            ShadowSummary.self, from: try await fixture.call("shadowSummary").body)
        #expect(summary.experimentId == "draft-1")
        #expect(Set(summary.variants.keys) == ["interleaved"] && summary.total.scored == 6)
    }

    /// Jaccard of the two lists' item sets, written out independently of `RankingAgreement`.
    static func referenceJaccard(_ a: [String], _ b: [String]) -> Double {
        let union = Set(a).union(b).count
        return union == 0 ? 1 : Double(Set(a).intersection(b).count) / Double(union)
    }
}

/// The injected failure of a shadow model.
private struct ShadowFault: Error {}
