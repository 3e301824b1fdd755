import Experiments
import Foundation
import FunctionRuntime
import Recommender
import Storage
import Testing

@testable import Functions

/// `rideease eval --replay` over real traces and conversions written by the handlers: a version replayed on its
/// own traffic gives back what it achieved, another version gives what the estimator's formulas give on the same
/// logged requests, and traces without propensities are counted out, never guessed.
@Suite("replay of logged traffic")
struct ReplayEvaluationTests {
    static let riders = (1...40).map { "rider-\(String(format: "%04d", $0))" }

    /// v0.1.0 serving 40 riders (deterministic lists of 5), every third rider booking the item at position
    /// 1 + (index % 5); v0.2.0 (popularity) registered. Traces and events flushed.
    static func servedTraffic() async throws -> (HandlerFixture, [(rider: String, items: [String], booked: String?)]) {
        let fixture = try await ServingTests.servingFixture()
        try await ServingTests.registerPopularity(fixture)
        var served: [(String, [String], String?)] = []
        for (index, rider) in riders.enumerated() {
            let answer = try fixture.json(
                try await fixture.call("recommend", body: #"{"userId":"\#(rider)","limit":5}"#))
            let items = (answer["recommendations"] as? [[String: Any]] ?? []).compactMap { $0["itemId"] as? String }
            var booked: String?
            if index % 3 == 0, items.count == 5 {
                booked = items[index % 5]
                let requestId = try #require(answer["requestId"] as? String)
                let body = """
                    {"type":"conversion","userId":"\(rider)","itemId":"\(items[index % 5])","requestId":"\(requestId)",
                     "timestamp":\(Int(fixture.clock.now().timeIntervalSince1970))}
                    """
                #expect(try await fixture.call("ingestEvents", body: body).status == 200)
                #expect(try await fixture.call("ingestEvents", body: body).status == 200, "sent twice, counted once")
            }
            served.append((rider, items, booked))
        }
        await fixture.shutdown()
        return (fixture, served)
    }

    @Test func aVersionReplayedOnItsOwnTrafficGivesBackWhatItAchieved() async throws {
        let (fixture, served) = try await Self.servedTraffic()
        let report = try await ReplayEvaluation(store: fixture.store).run(
            version: try #require(ModelVersion("v0.1.0")), hours: 2, now: fixture.clock.now().addingTimeInterval(60))
        let booked = Double(served.filter { $0.booked != nil }.count)
        #expect(report.traces == Self.riders.count && report.usable == Self.riders.count)
        #expect(report.estimate.matchedRequests == Self.riders.count)
        #expect(abs(report.estimate.loggedRate - booked / 40) < 1e-12)
        #expect(abs(report.estimate.ips.value - booked / 40) < 1e-12)
        #expect(abs(report.estimate.snips.value - booked / 40) < 1e-12)
        #expect(report.online?.requests == 40 && report.online?.conversions == Int(booked))
        #expect(report.estimate.ips.lower <= booked / 40 && booked / 40 <= report.estimate.ips.upper)

        let listing = try JSONCoding.decoder.decode(
            ModelListing.self, from: try await fixture.call("listModels").body)
        let entry = try #require(listing.models.first { $0.metadata.version.description == "v0.1.0" })
        // Dates keep milliseconds in JSON: compare with the report as stored.
        let stored = try JSONCoding.decoder.decode(ReplayReport.self, from: try JSONCoding.encoder.encode(report))
        #expect(entry.replay == stored, "the listing shows the last replay beside the offline metrics")
        #expect(listing.models.first { $0.metadata.version.description == "v0.2.0" }?.replay == nil)
    }

    @Test func anotherVersionGetsTheEstimatorsFormulasOnTheSameRequests() async throws {
        let (fixture, served) = try await Self.servedTraffic()
        let version = try #require(ModelVersion("v0.2.0"))
        let candidate = try await ModelRegistry(store: fixture.store).loadModel(version).1
        // Deterministic logging: every propensity is 1, so a slot counts when the candidate puts the same item there.
        var perRequest: [Double] = []
        var numerators = [Double](repeating: 0, count: 5)
        var denominators = [Double](repeating: 0, count: 5)
        for (rider, items, booked) in served {
            let target = candidate.recommendations(forUser: rider, limit: items.count).items.map(\.itemId)
            var conversions = 0.0
            for (position, item) in items.enumerated() where position < target.count && target[position] == item {
                denominators[position] += 1
                if item == booked {
                    numerators[position] += 1
                    conversions += 1
                }
            }
            perRequest.append(conversions)
        }
        let report = try await ReplayEvaluation(store: fixture.store).run(
            version: version, hours: 2, now: fixture.clock.now().addingTimeInterval(60))
        let ips = perRequest.reduce(0, +) / Double(perRequest.count)
        let snips = zip(numerators, denominators).map { $1 > 0 ? $0 / $1 : 0 }.reduce(0, +)
        #expect(abs(report.estimate.ips.value - ips) < 1e-12)
        #expect(abs(report.estimate.snips.value - snips) < 1e-12)
        #expect(report.online == nil, "v0.2.0 never served")
    }

    @Test func tracesWithoutPropensitiesAreCountedOutNotGuessed() async throws {
        let (fixture, _) = try await Self.servedTraffic()
        // A trace as written before propensities were logged: no policy, no positions, no propensities.
        let now = fixture.clock.now()
        let old = """
            {"artifactUri":"a","containerImageDigest":"d","createdAt":"\(ISO8601DateFormatter().string(from: now))",\
            "dataSnapshotId":"s","deploymentGeneration":1,"experimentId":"rec-engine","fallback":false,\
            "latencyMs":1,"modelVersion":"v0.1.0","pipelineGitSha":"g","recommendations":[{"itemId":"x","score":1}],\
            "requestId":"old-1","userId":"rider-0001","variant":"control"}
            """
        try await fixture.store.put(
            TraceLog.hourPrefix(now) + "old-writer-00000001.jsonl", data: Data(old.utf8), precondition: .ifNoneMatch)
        let report = try await ReplayEvaluation(store: fixture.store).run(
            version: try #require(ModelVersion("v0.1.0")), hours: 2, now: now.addingTimeInterval(60))
        #expect(report.traces == Self.riders.count + 1)
        #expect(report.usable == Self.riders.count)
        #expect(report.skipped == ["no propensities": 1])
    }

    @Test(arguments: ["7x", "0d", "91d", "2161h", "d", "-3h", ""])
    func badWindowsAreRefused(window: String) {
        #expect(throws: ReplayInputError.self) { try ReplayEvaluation.hours(parsing: window) }
    }

    @Test func goodWindowsAreHours() throws {
        #expect(try ReplayEvaluation.hours(parsing: "7d") == 168)
        #expect(try ReplayEvaluation.hours(parsing: "36h") == 36)
        #expect(try ReplayEvaluation.hours(parsing: "90d") == 2160)
    }

    @Test func aMissingOrUnknownVersionIsAClearError() async throws {
        let fixture = try await ServingTests.servingFixture()
        let evaluation = ReplayEvaluation(store: fixture.store)
        await #expect(throws: ReplayInputError.self) {
            try await evaluation.run(version: nil, window: "7d", now: Date())
        }
        await #expect(throws: ReplayInputError.self) {
            try await evaluation.run(version: "latest", window: "7d", now: Date())
        }
        await #expect(throws: RegistryError.self) {
            try await evaluation.run(version: "v9.9.9", window: "7d", now: Date())
        }
    }
}
