import Emulator
import Foundation
import FunctionRuntime
import Functions
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Recommender
import Testing

@testable import Console

/// What propensities add to the console: a version's last replay beside its offline metrics on the Models page,
/// and on a trace the serving policy, its candidate set, the explored position and each item's propensity.
@Suite("console replay and propensities")
struct ConsoleReplayAndTraceTests {
    func page(_ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String) async throws -> String {
        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
        #expect(response.status == .ok, "\(path)")
        return ConsoleFixture.text(response)
    }

    /// The part of `html` from `start` to the next `end`.
    func part(_ html: String, from start: String, to end: String) throws -> String {
        try #require(html.components(separatedBy: start).dropFirst().first, "\(start)").components(separatedBy: end)[0]
    }

    static func interval(_ value: Double, _ lower: Double, _ upper: Double) -> String {
        "\(ConsoleFormat.number(value, digits: 4)) [\(ConsoleFormat.number(lower, digits: 4)), "
            + "\(ConsoleFormat.number(upper, digits: 4))]"
    }

    @Test func theModelsPageShowsAVersionsLastReplayOnceOneIsWritten() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            try await fixture.withApp { client in
                let before = try part(
                    try await page(client, fixture, "/_console/models"), from: #"<tr data-version="v0.2.0">"#,
                    to: "</tr>")
                #expect(before.contains("not replayed — <code>rideease eval --replay --version v0.2.0</code>"))
            }
            // v0.2.0 serves every variant: half the riders book the first item they are shown.
            try await ConsoleExperimentPageTests.traffic(fixture, riders: 40) { index, items in
                index % 2 == 0 ? items.first : nil
            }
            let version = try #require(ModelVersion("v0.2.0"))
            let report = try await ReplayEvaluation(store: fixture.runtime.storage).run(
                version: version, hours: 24, now: Date())
            #expect(report.traces == 40 && report.usable == 40, "every trace logged its propensities")
            let online = try #require(report.online, "v0.2.0 served the traffic")
            #expect(online.requests == 40 && online.conversions == 20)
            #expect(abs(report.estimate.ips.value - 0.5) < 1e-9, "the served version replays to its own rate")
            try await fixture.withApp { client in
                let api = try await client.execute(
                    uri: "/admin/models", method: .get, headers: [.xAPIKey: ConsoleFixture.adminKey])
                let listing = try JSONCoding.decoder.decode(ModelListing.self, from: Data(buffer: api.body))
                // As stored: dates keep the precision the JSON encoder writes.
                let stored = try JSONCoding.decoder.decode(ReplayReport.self, from: JSONCoding.encoder.encode(report))
                #expect(listing.models.first { $0.metadata.version == version }?.replay == stored)
                let html = try await page(client, fixture, "/_console/models")
                let row = try part(html, from: #"<tr data-version="v0.2.0">"#, to: "</tr>")
                let estimate = report.estimate
                let ips = Self.interval(estimate.ips.value, estimate.ips.lower, estimate.ips.upper)
                let snips = Self.interval(estimate.snips.value, estimate.snips.lower, estimate.snips.upper)
                #expect(row.contains(#"<span data-replay="ips">\#(ips)</span>"#), "\(ips)")
                #expect(row.contains(#"<span data-replay="snips">\#(snips)</span> <small>95 % CI</small>"#))
                #expect(row.contains(#"<span data-replay="usable">40</span> of <span data-replay="traces">40</span>"#))
                let rate = Self.interval(online.rate, online.lower, online.upper)
                #expect(row.contains(#"<span data-replay="online">\#(rate)</span> <small>(20 of 40 requests"#))
                #expect(row.contains("1 d to \(ConsoleFormat.time(report.windowEnd))"), "the window")
                let older = try part(html, from: #"<tr data-version="v0.1.0">"#, to: "</tr>")
                #expect(older.contains("not replayed — <code>rideease eval --replay --version v0.1.0</code>"))
            }
        }
    }

    /// Asks for recommendations and returns the trace of the first request `accept` takes.
    func firstTrace(
        _ fixture: ConsoleFixture, limit: Int, where accept: (PredictionTrace) -> Bool
    ) async throws -> PredictionTrace {
        for index in 0..<60 {
            let answer = await fixture.console.api.call(
                "recommend", body: Data(#"{"userId":"rider-\#(String(format: "%04d", index))","limit":\#(limit)}"#.utf8)
            )
            try #require(answer.status == 200)
            let requestId = try #require(answer.headers["X-Request-Id"])
            let trace = try await fixture.console.api.read(
                PredictionTrace.self, "getTrace", pathParameters: ["requestId": requestId]
            ).get()
            if accept(trace) { return trace }
        }
        throw FunctionError.notFound("no request of 60 matched")
    }

    /// Every shown item's row carries its position, its id and its propensity as the trace logged them.
    func expectItems(_ html: String, _ trace: PredictionTrace) throws {
        let table = try part(html, from: #"<table id="trace-items">"#, to: "</table>")
        #expect(table.components(separatedBy: "<tr data-position=").count - 1 == trace.recommendations.count)
        for item in trace.recommendations {
            let position = try #require(item.position)
            let row = try part(table, from: #"<tr data-position="\#(position)""#, to: "</tr>")
            #expect(row.contains("<code>\(item.itemId)</code>"))
            let propensity: Double = try #require(item.propensity)
            let shown = ConsoleFormat.number(propensity, digits: 4)
            #expect(row.contains(#"data-field="propensity">\#(shown)</td>"#), "position \(position)")
        }
    }

    @Test func aTraceShowsItsPolicyCandidateSetExploredPositionAndPropensities() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            let ranked = try await firstTrace(fixture, limit: 4) { _ in true }
            #expect(ranked.policy == .deterministic)
            let api = fixture.console.api
            #expect(await api.call("stopExperiment", pathParameters: ["experimentId": "rec-engine"]).status == 200)
            let body = #"{"id":"explore-1","design":"ab","exploration":{"epsilon":0.5,"candidates":8}}"#
            #expect(await api.call("createExperiment", body: Data(body.utf8)).status == 201)
            #expect(await api.call("startExperiment", pathParameters: ["experimentId": "explore-1"]).status == 200)
            let explored = try await firstTrace(fixture, limit: 4) { $0.exploredPosition != nil }
            #expect(explored.policy == .epsilonGreedy && explored.candidateCount == 8)
            #expect(explored.recommendations.contains { ($0.propensity ?? 1) < 1 }, "exploration makes them < 1")
            try await fixture.withApp { client in
                let deterministic = try await page(client, fixture, "/_console/traces/\(ranked.requestId)")
                #expect(deterministic.contains(#"<span id="trace-policy" data-policy="deterministic">"#))
                let catalog = try #require(ranked.candidateCount)
                #expect(deterministic.contains(#"<span id="trace-candidates">\#(catalog) items</span>"#))
                #expect(deterministic.contains(#"<span id="trace-explored">—</span>"#))
                #expect(!deterministic.contains(#"class="explored""#))
                try expectItems(deterministic, ranked)
                #expect(ranked.recommendations.allSatisfy { $0.propensity == 1 })

                let html = try await page(client, fixture, "/_console/traces/\(explored.requestId)")
                #expect(html.contains(#"<span id="trace-policy" data-policy="epsilon-greedy">"#))
                #expect(html.contains(#"<span id="trace-candidates">8 items</span>"#))
                let position = try #require(explored.exploredPosition)
                #expect(html.contains(#"<span id="trace-explored">position \#(position)</span>"#))
                #expect(html.contains(#"<tr data-position="\#(position)" class="explored">"#))
                try expectItems(html, explored)
            }
        }
    }
}
