import Experiments
import Foundation
import FunctionRuntime
import Recommender
import Testing

@testable import Functions

/// Every trace says how its list was chosen: the policy, the candidate set size, each item's position and the
/// probability the policy showed it there — recomputed here from the models and the policies' own definitions.
@Suite("propensities in traces")
struct PropensityTraceTests {
    static let riders = (1...40).map { "rider-\(String(format: "%04d", $0))" } + ["someone-new"]

    /// The trace of a request, read back through `GET /traces/{id}` after a flush.
    static func trace(_ fixture: HandlerFixture, _ answer: [String: Any]) async throws -> PredictionTrace {
        let requestId = try #require(answer["requestId"] as? String)
        let response = try await fixture.call("getTrace", pathParameters: ["requestId": requestId])
        return try JSONCoding.decoder.decode(PredictionTrace.self, from: response.body)
    }

    static func model(_ fixture: HandlerFixture, _ version: String) async throws -> TrainedModel {
        try await ModelRegistry(store: fixture.store).loadModel(try #require(ModelVersion(version))).1
    }

    @Test func aDeterministicRankerShowsEveryItemWithProbabilityOne() async throws {
        let fixture = try await ServingTests.servingFixture()
        let model = try await Self.model(fixture, "v0.1.0")
        for rider in Self.riders.prefix(8) {
            let response = try await fixture.call("recommend", body: #"{"userId":"\#(rider)","limit":6}"#)
            let answer = try fixture.json(response)
            let shown = try #require(answer["recommendations"] as? [[String: Any]])
            #expect(shown.allSatisfy { $0["propensity"] == nil && $0["position"] == nil }, "not in the answer")
            let trace = try await Self.trace(fixture, answer)
            #expect(trace.policy == .deterministic)
            #expect(trace.candidateCount == model.items.count)
            #expect(trace.exploredPosition == nil)
            #expect(trace.recommendations.map(\.position) == Array(1...6))
            #expect(trace.recommendations.allSatisfy { $0.propensity == 1 })
        }
    }

    @Test func anExplorationSlotLogsTheMarginalsOfItsOwnProcedure() async throws {
        let fixture = try await ServingTests.servingFixture()
        #expect(try await fixture.call("stopExperiment", pathParameters: ["experimentId": "rec-engine"]).status == 200)
        let body = #"{"id":"explore","exploration":{"epsilon":0.5,"candidates":12},"cuped":null}"#
        #expect(try await fixture.call("createExperiment", body: body).status == 201)
        #expect(try await fixture.call("startExperiment", pathParameters: ["experimentId": "explore"]).status == 200)
        let model = try await Self.model(fixture, "v0.1.0")
        let settings = ExplorationSettings(epsilon: 0.5, candidates: 12)
        var explored = 0
        for rider in Self.riders {
            let answer = try fixture.json(
                try await fixture.call("recommend", body: #"{"userId":"\#(rider)","limit":5}"#))
            let trace = try await Self.trace(fixture, answer)
            #expect(trace.policy == .epsilonGreedy)
            let ranked = model.recommendations(forUser: rider, limit: 12).items.map(\.itemId)
            let expected = ExplorationSlot.apply(
                ranked: ranked, limit: 5, settings: settings, seed: "explore", requestId: trace.requestId)
            #expect(trace.recommendations.map(\.itemId) == expected.items)
            #expect(trace.recommendations.map(\.propensity) == expected.propensities.map { Optional($0) })
            #expect(trace.candidateCount == expected.candidateCount)
            #expect(trace.exploredPosition == expected.exploredPosition.map { $0 + 1 })
            #expect(trace.recommendations.allSatisfy { ($0.propensity ?? 0) > 0 && ($0.propensity ?? 2) <= 1 })
            if trace.exploredPosition != nil { explored += 1 }
        }
        // ε = 0.5 over 41 requests: some explore, some do not (each side has probability 2^-41 of being empty).
        #expect(explored > 0 && explored < Self.riders.count)
    }

    @Test func anInterleavedListLogsTheDraftsMarginals() async throws {
        let fixture = try await InterleavingServingTests.interleavingFixture()
        let control = try await Self.model(fixture, "v0.2.0")
        let treatment = try await Self.model(fixture, "v0.1.0")
        for rider in Self.riders.prefix(12) {
            let answer = try fixture.json(
                try await fixture.call("recommend", body: #"{"userId":"\#(rider)","limit":6}"#))
            let trace = try await Self.trace(fixture, answer)
            #expect(trace.policy == .interleaving)
            let lists = [control, treatment].map { $0.recommendations(forUser: rider, limit: 6).items.map(\.itemId) }
            let drafted = trace.recommendations.map(\.itemId)
            let expected = try #require(
                TeamDraft.propensities(control: lists[0], treatment: lists[1], limit: 6, drafted: drafted))
            #expect(trace.recommendations.map(\.propensity) == expected.map { Optional($0) })
            #expect(trace.candidateCount == Set(lists[0] + lists[1]).count)
            #expect(trace.recommendations.map(\.position) == Array(1...drafted.count))
        }
    }

    @Test(arguments: [
        (#"{"id":"x1","exploration":{"epsilon":0.7}}"#, "exploration.epsilon"),
        (#"{"id":"x2","exploration":{"epsilon":0}}"#, "exploration.epsilon"),
        (#"{"id":"x3","exploration":{"epsilon":0.1,"candidates":1}}"#, "exploration.candidates"),
        (#"{"id":"x4","exploration":{"epsilon":0.1,"candidates":500}}"#, "exploration.candidates"),
        (#"{"id":"x5","exploration":{"candidates":10}}"#, "epsilon"),
        (#"{"id":"x6","design":"interleaving","exploration":{"epsilon":0.1}}"#, "exploration applies to A/B"),
    ])
    func badExplorationSettingsAreRefused(body: String, reason: String) async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("createExperiment", body: body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains(reason))
    }
}
