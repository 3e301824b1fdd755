import Foundation
import FunctionRuntime
import Functions
import Storage
import Testing

/// Experiments as records through the real handlers: create, start, stop, the audit trail, what riders get, and
/// every way a request can be wrong.
@Suite("experiments: lifecycle and audit")
struct ExperimentLifecycleTests {
    static let abBody = """
        {"id":"ranker-2","variants":[{"name":"control","weight":0.5,"version":"v0.1.0"},
         {"name":"treatment","weight":0.5,"version":"v0.2.0"}]}
        """

    func text(_ response: FunctionResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func createStartStopKeepsTheFinalSummaryAndAuditsEveryChange() async throws {
        let fixture = try await ServingTests.servingFixture()
        try await ServingTests.registerPopularity(fixture)
        let created = try await fixture.call("createExperiment", body: Self.abBody)
        #expect(created.status == 201, "\(text(created))")
        #expect(try fixture.json(created)["status"] as? String == "draft")
        // One experiment serves at a time: the seeded one is running.
        let refused = try await fixture.call("startExperiment", pathParameters: ["experimentId": "ranker-2"])
        #expect(refused.status == 409)
        #expect(text(refused).contains("rec-engine"))

        let stopped = try await fixture.call(
            "stopExperiment", body: #"{"serve":"control"}"#, pathParameters: ["experimentId": "rec-engine"])
        #expect(stopped.status == 200, "\(text(stopped))")
        let stoppedRecord = try fixture.json(stopped)
        #expect(stoppedRecord["status"] as? String == "stopped")
        let final = try #require(stoppedRecord["finalSummary"] as? [String: Any])
        #expect(final["decision"] as? String == "keep-running")
        let again = try await fixture.call("stopExperiment", pathParameters: ["experimentId": "rec-engine"])
        #expect(again.status == 409)
        #expect(text(again).contains("already stopped"))

        let started = try await fixture.call("startExperiment", pathParameters: ["experimentId": "ranker-2"])
        #expect(started.status == 200, "\(text(started))")
        let health = try fixture.json(try await fixture.call("healthz"))
        #expect(health["experimentId"] as? String == "ranker-2")
        #expect(health["models"] as? [String: String] == ["control": "v0.1.0", "treatment": "v0.2.0"])
        let answer = try fixture.json(try await fixture.call("recommend", body: #"{"userId":"rider-0003"}"#))
        #expect(answer["experimentId"] as? String == "ranker-2")

        let list = try fixture.json(try await fixture.call("listExperiments"))
        #expect(list["active"] as? String == "ranker-2")
        let ids = (list["experiments"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(Set(ids) == ["ranker-2", "rec-engine"])
        for (id, actions) in [("ranker-2", ["create", "start"]), ("rec-engine", ["seed", "stop"])] {
            let detail = try fixture.json(
                try await fixture.call("getExperiment", pathParameters: ["experimentId": id]))
            let audit = (detail["audit"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(audit == actions, "\(id)")
        }
        // The stopped experiment answers the summary it stopped with.
        let summary = try await fixture.call("experimentSummary", pathParameters: ["experimentId": "rec-engine"])
        #expect(try fixture.json(summary)["decision"] as? String == final["decision"] as? String)

        // Stopped with "serve": "treatment", everyone gets the treatment's model, outside any analysis.
        let ended = try await fixture.call(
            "stopExperiment", body: #"{"serve":"treatment"}"#, pathParameters: ["experimentId": "ranker-2"])
        #expect(ended.status == 200)
        for rider in ["rider-0001", "rider-0002", "rider-0003", "rider-0004"] {
            let served = try fixture.json(try await fixture.call("recommend", body: #"{"userId":"\#(rider)"}"#))
            #expect(served["variant"] as? String == "treatment")
            #expect(served["modelVersion"] as? String == "v0.2.0")
        }
    }

    @Test(arguments: [
        (#"{"id":"x","design":"bandit"}"#, 400, "design"),
        (#"{"id":"x","variants":[{"name":"control","weight":0.6},{"name":"treatment","weight":0.6}]}"#, 400, "sum"),
        (
            #"{"id":"x","variants":[{"name":"a","weight":0.3},{"name":"b","weight":0.3},{"name":"c","weight":0.4}]}"#,
            400, "exactly 2"
        ),
        (#"{"id":"x","metric":"revenue"}"#, 400, "metric"),
        (#"{"id":"x","design":"interleaving","cuped":{"preWindowDays":14}}"#, 400, "CUPED"),
        (
            #"{"id":"x","design":"interleaving","variants":[{"name":"a","weight":0.5},{"name":"b","weight":0.5}]}"#,
            400, "control and treatment"
        ),
        (#"{"id":"a/b"}"#, 400, "one path segment"), (#"{"id":"active"}"#, 400, "reserved"),
        (#"{"id":"x","cuped":{"preWindowDays":0}}"#, 400, "preWindowDays"),
        (#"{"id":"x","coverage":1.5}"#, 400, "coverage"),
        (
            #"{"id":"x","variants":[{"name":"control","weight":0.5,"version":"latest"},{"name":"treatment","weight":0.5}]}"#,
            400, "model version"
        ),
        (#"{"design":"ab"}"#, 400, "id"), ("not json", 400, "JSON"),
    ])
    func badExperimentsAreRefusedWithTheReason(body: String, status: Int, mentions: String) async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("createExperiment", body: body)
        #expect(response.status == status, "\(text(response))")
        #expect(text(response).contains(mentions), "\(text(response))")
        #expect(try await fixture.store.get(ExperimentRecordStore.key(for: "x")) == nil, "nothing half-written")
    }

    @Test func lifecycleConflictsAndUnknownsAreClear() async throws {
        let fixture = try await ServingTests.servingFixture()
        #expect(try await fixture.call("createExperiment", body: #"{"id":"dup"}"#).status == 201)
        let duplicate = try await fixture.call("createExperiment", body: #"{"id":"dup"}"#)
        #expect(duplicate.status == 409)
        #expect(text(duplicate).contains("already exists"))
        let draftStop = try await fixture.call("stopExperiment", pathParameters: ["experimentId": "dup"])
        #expect(draftStop.status == 409)
        #expect(text(draftStop).contains("has not started"))
        #expect(try await fixture.call("startExperiment", pathParameters: ["experimentId": "nope"]).status == 404)
        #expect(try await fixture.call("getExperiment", pathParameters: ["experimentId": "nope"]).status == 404)
        let badServe = try await fixture.call(
            "stopExperiment", body: #"{"serve":"nope"}"#, pathParameters: ["experimentId": "rec-engine"])
        #expect(badServe.status == 400)
        #expect(text(badServe).contains("serve must be one of"))
        let draftSummary = try await fixture.call("experimentSummary", pathParameters: ["experimentId": "dup"])
        #expect(draftSummary.status == 400)
        #expect(text(draftSummary).contains("has not started"))
        // A version that does not exist is found when the experiment starts, before anything changes.
        _ = try await fixture.call("stopExperiment", pathParameters: ["experimentId": "rec-engine"])
        let ghost =
            #"{"id":"ghost","variants":[{"name":"control","weight":0.5,"version":"v9.9.9"},"#
            + #"{"name":"treatment","weight":0.5}]}"#
        #expect(try await fixture.call("createExperiment", body: ghost).status == 201)
        let start = try await fixture.call("startExperiment", pathParameters: ["experimentId": "ghost"])
        #expect(start.status == 404, "\(text(start))")
        #expect(text(start).contains("v9.9.9"))
        let list = try fixture.json(try await fixture.call("listExperiments"))
        #expect(list["active"] as? String == "rec-engine", "the pointer did not move")
    }
}
