import Experiments
import Foundation
import FunctionRuntime
import Recommender
import Storage
import Testing

/// Serving through the real handlers on a real store: recommendations, traces, switches, rollback, readiness.
@Suite("serving: recommendations, traces and hot-swap")
struct ServingTests {
    /// A store with two registered models (v0.1.0 iALS, v0.2.0 popularity) and an instance serving v0.1.0.
    static func servingFixture() async throws -> HandlerFixture {
        let fixture = try HandlerFixture()
        try await TrainAndModelsTests.seed(fixture)
        #expect(try await fixture.call("train", body: #"{"tune":false}"#).status == 200)
        await fixture.refresh()
        return fixture
    }

    static func registerPopularity(_ fixture: HandlerFixture) async throws {
        let trained = try await fixture.call("train", body: #"{"algorithm":"popularity"}"#)
        #expect(trained.status == 200)
    }

    func recommend(_ fixture: HandlerFixture, _ body: String) async throws -> (FunctionResponse, [String: Any]) {
        let response = try await fixture.call("recommend", body: body)
        return (response, (try? fixture.json(response)) ?? [:])
    }

    @Test func answersWithTheVariantTheExperimentAssigns() async throws {
        let fixture = try await Self.servingFixture()
        let experiment = try ExperimentDefinition(id: "rec-engine")
        for user in ["rider-0001", "rider-0002", "someone-new", "rider-0042"] {
            let (response, body) = try await recommend(fixture, #"{"userId":"\#(user)","limit":5}"#)
            #expect(response.status == 200)
            #expect(body["variant"] as? String == experiment.assign(userId: user)?.variant)
            #expect(body["experimentId"] as? String == "rec-engine")
            #expect(body["modelVersion"] as? String == "v0.1.0")
            #expect(body["userId"] as? String == user)
            let items = try #require(body["recommendations"] as? [[String: Any]])
            #expect(items.count == 5)
            #expect(items.map { $0["rank"] as? Int } == [1, 2, 3, 4, 5])
            #expect(RequestID.timestamp(of: body["requestId"] as? String ?? "") != nil)
        }
        let (_, unknown) = try await recommend(fixture, #"{"userId":"never-seen-before"}"#)
        #expect(unknown["fallback"] as? Bool == true, "cold start falls back to popularity and says so")
        #expect((unknown["recommendations"] as? [Any])?.count == 10, "limit defaults to 10")
    }

    @Test(arguments: [
        #"{"userId":"u","limit":0}"#, #"{"userId":"u","limit":101}"#, #"{"userId":"u","limit":"5"}"#,
        #"{"userId":""}"#, #"{"userId":"a\u0001b"}"#, #"{"limit":5}"#, "[]", "nope",
    ])
    func badRequestsAre400(body: String) async throws {
        let fixture = try await Self.servingFixture()
        let (response, json) = try await recommend(fixture, body)
        #expect(response.status == 400)
        #expect((json["error"] as? [String: Any])?["code"] as? String == "invalid_argument")
    }

    @Test func everyPredictionHasATraceFoundHereAndFromAnotherInstance() async throws {
        let fixture = try await Self.servingFixture()
        let (_, body) = try await recommend(fixture, #"{"userId":"rider-0003","limit":3}"#)
        let requestId = try #require(body["requestId"] as? String)
        let trace = try fixture.json(try await fixture.call("getTrace", pathParameters: ["requestId": requestId]))
        #expect(trace["modelVersion"] as? String == "v0.1.0")
        #expect(trace["userId"] as? String == "rider-0003")
        for field in ["dataSnapshotId", "pipelineGitSha", "containerImageDigest", "artifactUri", "createdAt"] {
            #expect(trace[field] is String, "\(field)")
        }
        #expect(trace["latencyMs"] is Double)
        #expect((trace["recommendations"] as? [[String: Any]])?.first?["score"] is Double)
        // Another instance (or this one after a restart) reads it from the flushed segments.
        await fixture.shutdown()
        let other = try HandlerFixture(sharing: fixture)
        let found = try await other.call("getTrace", pathParameters: ["requestId": requestId])
        #expect(found.status == 200)
        #expect(try other.json(found)["requestId"] as? String == requestId)
        let missing = try await other.call("getTrace", pathParameters: ["requestId": RequestID.generate()])
        #expect(missing.status == 404)
        let malformed = try await other.call("getTrace", pathParameters: ["requestId": "../../etc/passwd"])
        #expect(malformed.status == 400)
    }

    @Test func switchRollbackAndAuditTrail() async throws {
        let fixture = try await Self.servingFixture()
        try await Self.registerPopularity(fixture)
        let switched = try await fixture.call("switchModel", body: #"{"version":"v0.2.0","target":"treatment"}"#)
        #expect(switched.status == 200)
        let answer = try fixture.json(switched)
        #expect(answer["generation"] as? Int == 2)
        #expect(answer["previous"] as? [String: String] == ["control": "v0.1.0", "treatment": "v0.1.0"])
        #expect(answer["current"] as? [String: String] == ["control": "v0.1.0", "treatment": "v0.2.0"])
        let experiment = try ExperimentDefinition(id: "rec-engine")
        let treatmentUser = try #require(
            (0..<100).map { "rider-\($0)" }.first { experiment.assign(userId: $0)?.variant == "treatment" })
        let (_, served) = try await recommend(fixture, #"{"userId":"\#(treatmentUser)"}"#)
        #expect(served["modelVersion"] as? String == "v0.2.0", "this instance swapped at once")
        let rolledBack = try fixture.json(try await fixture.call("rollbackModel"))
        #expect(rolledBack["current"] as? [String: String] == ["control": "v0.1.0", "treatment": "v0.1.0"])
        #expect(rolledBack["generation"] as? Int == 3)
        let audit = try await fixture.store.list(
            prefix: "audit/deployments/rec-engine/", continuationToken: nil, maxKeys: 100)
        #expect(audit.objects.count == 3, "bootstrap, switch and rollback are audited")
        let models = try fixture.json(try await fixture.call("listModels"))
        let entries = try #require(models["models"] as? [[String: Any]])
        #expect(entries.map { $0["version"] as? String } == ["v0.2.0", "v0.1.0"])
        #expect(entries.map { $0["serving"] as? [String] } == [[], ["control", "treatment"]])
    }

    @Test(arguments: [
        (#"{"version":"v9.9.9"}"#, 404), (#"{"version":"../../etc"}"#, 400),
        (#"{"version":"v0.1.0","target":"x"}"#, 400),
        (#"{"target":"all"}"#, 400), ("", 400),
    ])
    func badSwitchesChangeNothing(body: String, status: Int) async throws {
        let fixture = try await Self.servingFixture()
        let response = try await fixture.call("switchModel", body: body)
        #expect(response.status == status)
        let deployment = try #require(try await DeploymentStore(store: fixture.store).current("rec-engine")).0
        #expect(deployment.generation == 1)
    }

    @Test func aCorruptedVersionIsRefusedBeforeAnythingChanges() async throws {
        let fixture = try await Self.servingFixture()
        try await Self.registerPopularity(fixture)
        let key = ModelMetadata.artifactKey(for: ModelVersion("v0.2.0")!)
        var bytes = try #require(try await fixture.store.get(key)).data
        bytes[bytes.count - 40] ^= 0x55
        try await fixture.store.put(key, data: bytes, precondition: .none)
        let response = try await fixture.call("switchModel", body: #"{"version":"v0.2.0"}"#)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("cannot serve"))
        #expect(try await DeploymentStore(store: fixture.store).current("rec-engine")?.0.generation == 1)
    }

    @Test func concurrentSwitchesNeverLoseAnUpdate() async throws {
        let fixture = try await Self.servingFixture()
        try await Self.registerPopularity(fixture)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let version = index.isMultiple(of: 2) ? "v0.1.0" : "v0.2.0"
                    return (try? await fixture.call("switchModel", body: #"{"version":"\#(version)"}"#).status) ?? 0
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 409 }, "\(statuses)")
        let wins = statuses.count { $0 == 200 }
        #expect(wins >= 1)
        let deployment = try #require(try await DeploymentStore(store: fixture.store).current("rec-engine")).0
        #expect(deployment.generation == 1 + wins, "every successful switch is one generation")
    }

    @Test func readinessWaitsForAModel() async throws {
        let empty = try HandlerFixture()
        await empty.refresh()
        #expect(try await empty.call("healthz", query: ["probe": "ready"]).status == 503)
        #expect(try await empty.call("healthz").status == 200, "liveness stays up")
        let fixture = try await Self.servingFixture()
        let health = try fixture.json(try await fixture.call("healthz", query: ["probe": "ready"]))
        #expect(health["ready"] as? Bool == true)
        #expect(health["models"] as? [String: String] == ["control": "v0.1.0", "treatment": "v0.1.0"])
    }

    @Test func conversionsAreAttributedToTheRequestsVariant() async throws {
        let fixture = try await Self.servingFixture()
        let (_, body) = try await recommend(fixture, #"{"userId":"rider-0005"}"#)
        let requestId = try #require(body["requestId"] as? String)
        let conversion = """
            {"type":"conversion","userId":"rider-0005","itemId":"place-0001","requestId":"\(requestId)",
             "timestamp":\(Int(Date().timeIntervalSince1970))}
            """
        #expect(try await fixture.call("ingestEvents", body: conversion).status == 200)
        let segments = try await EventLog(store: fixture.store).segments()
        let stored = try await EventLog(store: fixture.store).events(in: segments).first { $0.type == .conversion }
        #expect(stored?.variant == body["variant"] as? String)
        #expect(stored?.experimentId == "rec-engine")
    }

    @Test func servingMetricsUseTheOriginalNamesAndLabels() async throws {
        let fixture = try await Self.servingFixture()
        let (_, body) = try await recommend(fixture, #"{"userId":"rider-0007"}"#)
        let variant = try #require(body["variant"] as? String)
        _ = try await recommend(fixture, #"{"userId":""}"#)
        let metrics = fixture.metrics
        #expect(
            metrics.counterTotal(
                label: "rideease_prediction_requests_total", dimensions: [("variant", variant), ("status", "success")])
                == 1)
        #expect(
            metrics.counterTotal(
                label: "rideease_prediction_requests_total", dimensions: [("variant", "none"), ("status", "error")])
                == 1)
        #expect(
            metrics.counterTotal(label: "rideease_prediction_errors_total", dimensions: [("stage", "validation")]) == 1)
        let latency = try metrics.expectRecorder("rideease_prediction_latency_ms", [("variant", variant)])
        #expect(latency.values.count == 1)
        let info = try metrics.expectRecorder("rideease_model_info", [("variant", variant), ("version", "v0.1.0")])
        #expect(info.lastValue == 1)
    }
}

@Suite("GET /experiments/{id}/summary over real traces and conversions")
struct ExperimentSummaryHandlerTests {
    @Test func countsUsersAndAttributedConversionsPerVariant() async throws {
        let fixture = try await ServingTests.servingFixture()
        var requestIds: [String: String] = [:]
        for index in 1...60 {
            let user = "rider-\(String(format: "%04d", index))"
            let response = try await fixture.call("recommend", body: #"{"userId":"\#(user)"}"#)
            requestIds[user] = try fixture.json(response)["requestId"] as? String
        }
        let now = Int(fixture.clock.now().timeIntervalSince1970)
        for index in stride(from: 1, through: 60, by: 3) {
            let user = "rider-\(String(format: "%04d", index))"
            let body = """
                {"type":"conversion","userId":"\(user)","itemId":"place-0001","requestId":"\(requestIds[user]!)",
                 "timestamp":\(now)}
                """
            #expect(try await fixture.call("ingestEvents", body: body).status == 200)
        }
        await fixture.shutdown()
        let response = try await fixture.call(
            "experimentSummary", pathParameters: ["experimentId": "rec-engine"], query: ["windowHours": "24"])
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let summary = try fixture.json(response)
        let variants = try #require(summary["variants"] as? [[String: Any]])
        #expect(variants.compactMap { $0["users"] as? Int }.reduce(0, +) == 60)
        #expect(variants.compactMap { $0["conversions"] as? Int }.reduce(0, +) == 20)
        #expect(["ship", "rollback", "keep-running"].contains(summary["decision"] as? String))
        #expect(summary["decision"] as? String == "keep-running", "60 users cannot justify a decision")
        #expect(summary["reason"] is String)
    }

    @Test(arguments: ["0", "721", "x", "1.5"])
    func windowHoursIsValidated(hours: String) async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call(
            "experimentSummary", pathParameters: ["experimentId": "rec-engine"], query: ["windowHours": hours])
        #expect(response.status == 400)
    }

    @Test func unknownExperimentsAre404() async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("experimentSummary", pathParameters: ["experimentId": "other"])
        #expect(response.status == 404)
    }
}
