import Foundation
import Recommender
import Storage
import Testing

@Suite("training runs: snapshot → tune → evaluate → register, with a lease and a gate")
struct TrainingJobTests {
    static func request(
        algorithm: String = "ials", tune: Bool = false, gate: String? = nil
    ) throws -> TrainingJob.Request {
        var configuration = ["PIPELINE_GIT_SHA": "0123abcd", "CONTAINER_IMAGE_DIGEST": "sha256:feed"]
        configuration["RIDEEASE_GATE_MAX_NDCG_DROP"] = gate
        return try TrainingJob.Request(algorithm: algorithm, tune: tune, snapshotId: nil, configuration: configuration)
    }

    @Test func registersAModelWithFullLineageAndAnAuditRecord() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents())
        let outcome = try await TrainingJob(store: fixture.store, owner: "test").run(try Self.request(tune: true))
        #expect(outcome.status == "registered")
        let model = try #require(outcome.model)
        #expect(model.version.description == "v0.1.0")
        #expect(model.algorithm == "ials")
        #expect(model.lineage.dataSnapshotId == outcome.dataSnapshotId)
        #expect(model.lineage.pipelineGitSha == "0123abcd")
        #expect(model.lineage.containerImageDigest == "sha256:feed")
        #expect(model.tuning.count == 6, "the default grid was tried on the validation split")
        #expect(model.offlineMetrics.overall.ndcg > 0)
        #expect(model.offlineMetrics.subpopulations.keys.contains { $0.contains("lisbon") || $0.contains("porto") })
        #expect(try await fixture.store.get("audit/training/\(outcome.runId).json") != nil)
        #expect(try await fixture.store.get(DataSnapshot.key(for: outcome.dataSnapshotId)) != nil)
    }

    @Test func iALSBeatsPopularityOnTheSimulatedWorld() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents(riders: 200, places: 80, days: 28))
        let job = TrainingJob(store: fixture.store, owner: "test")
        let popularity = try #require(try await job.run(try Self.request(algorithm: "popularity")).model)
        let ials = try #require(try await job.run(try Self.request(algorithm: "ials", tune: true)).model)
        #expect(ials.offlineMetrics.overall.ndcg > popularity.offlineMetrics.overall.ndcg)
        #expect(ials.version > popularity.version)
    }

    @Test func theGateRefusesAWorseModelAndLeavesTheRegistryUnchanged() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents(riders: 200, places: 80, days: 28))
        let job = TrainingJob(store: fixture.store, owner: "test")
        _ = try await job.run(try Self.request(algorithm: "ials", tune: true))
        let refused = try await job.run(try Self.request(algorithm: "popularity", gate: "0.05"))
        #expect(refused.status == "rejected")
        #expect(refused.model == nil)
        #expect(refused.reason?.contains("below") == true)
        let comparison = try #require(refused.comparison)
        #expect(comparison.baselineVersion == "v0.1.0")
        #expect(comparison.upper95 < -0.05 * comparison.baselineNdcg)
        #expect(try await ModelRegistry(store: fixture.store).list().count == 1)
        let accepted = try await job.run(try Self.request(algorithm: "ials", tune: true, gate: "0.05"))
        #expect(accepted.status == "registered")
    }

    @Test func theGateRefitsTheControlOnTheCandidatesSplitAndPairsUsers() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents(riders: 200, places: 80, days: 28))
        let job = TrainingJob(store: fixture.store, owner: "test")
        let first = try #require(try await job.run(try Self.request(algorithm: "ials")).model)
        // More rides arrive: the candidate's snapshot differs from the one the control was measured on.
        try await fixture.append(
            try StoreFixture.worldEvents(riders: 200, places: 80, days: 7, seed: 99), writerID: "later")
        let outcome = try await job.run(try Self.request(algorithm: "ials", gate: "0.05"))
        #expect(outcome.status == "registered", "\(outcome.reason ?? "")")
        let model = try #require(outcome.model)
        let comparison = try #require(model.gateComparison)
        #expect(outcome.comparison == comparison)
        #expect(model.lineage.dataSnapshotId != first.lineage.dataSnapshotId)
        #expect(comparison.baselineVersion == first.version.description)
        // Same split: the candidate's side is exactly its recorded test NDCG over all its test users; the
        // control's configuration refit on that split scores the same (identical configuration and data).
        #expect(comparison.users == model.offlineMetrics.evaluatedUsers)
        #expect(abs(comparison.candidateNdcg - model.offlineMetrics.overall.ndcg) < 1e-12)
        #expect(comparison.baselineNdcg != first.offlineMetrics.overall.ndcg)
        #expect(comparison.meanDifference == 0 && comparison.lower95 == 0 && comparison.upper95 == 0)
        #expect(model.offlineMetrics.tiedHoldOutUsers != nil)
        #expect(model.offlineMetrics.overall.ndcgStandardError != nil)
    }

    @Test func theGateComparesWithTheDeployedControl() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents(riders: 200, places: 80, days: 28))
        let job = TrainingJob(store: fixture.store, owner: "test")
        let popularity = try #require(try await job.run(try Self.request(algorithm: "popularity")).model)
        _ = try await job.run(try Self.request(algorithm: "ials", tune: true))
        // Control serves the weaker popularity model: a popularity candidate is not worse than it.
        let deployment = Deployment(
            experimentId: "rec-engine", generation: 1, versions: ["control": popularity.version], previous: nil,
            updatedAt: Date(), updatedBy: "test")
        let audit = DeploymentAudit(
            action: "switch", actor: "test", at: Date(), generation: 1, from: [:], to: deployment.versions,
            requestId: nil)
        try await DeploymentStore(store: fixture.store).swap(deployment, expecting: nil, audit: audit)
        let candidate = try await job.run(try Self.request(algorithm: "popularity", gate: "0.05"))
        #expect(candidate.status == "registered", "\(candidate.reason ?? "")")
        #expect(candidate.comparison?.baselineVersion == popularity.version.description)
    }

    @Test func runsNeverOverlap() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents())
        // Another process holds an unexpired lease.
        let lease = #"{"expiresAt":"2999-01-01T00:00:00Z","owner":"other","runId":"train-1"}"#
        try await fixture.store.put("locks/training.json", data: Data(lease.utf8), precondition: .ifNoneMatch)
        await #expect(throws: TrainingError.alreadyRunning(runId: "train-1")) {
            try await TrainingJob(store: fixture.store, owner: "test").run(try Self.request())
        }
        #expect(try await ModelRegistry(store: fixture.store).list().isEmpty)
    }

    @Test func anExpiredLeaseIsTakenOverAndReleasedAfterwards() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents())
        let lease = #"{"expiresAt":"2001-01-01T00:00:00Z","owner":"crashed","runId":"train-0"}"#
        try await fixture.store.put("locks/training.json", data: Data(lease.utf8), precondition: .ifNoneMatch)
        let job = TrainingJob(store: fixture.store, owner: "test")
        #expect(try await job.run(try Self.request()).status == "registered")
        #expect(try await job.run(try Self.request()).status == "registered", "the lease was released")
    }

    @Test func noEventsIsAClearError() async throws {
        let fixture = try StoreFixture()
        await #expect {
            try await TrainingJob(store: fixture.store, owner: "test").run(try Self.request())
        } throws: { error in
            guard case .noData(let message)? = error as? TrainingError else { return false }
            return message.contains("has no ride events")
        }
    }

    @Test func fixedHyperparametersComeFromTheRequest() async throws {
        let fixture = try StoreFixture()
        try await fixture.append(try StoreFixture.worldEvents())
        let request = try TrainingJob.Request(
            algorithm: "ials", tune: true, snapshotId: nil, hyperparameters: ["factors": 8, "iterations": 4],
            configuration: [:])
        #expect(!request.tune, "fixed values turn tuning off")
        let model = try #require(try await TrainingJob(store: fixture.store, owner: "test").run(request).model)
        #expect(model.hyperparameters["factors"] == 8)
        #expect(model.hyperparameters["iterations"] == 4)
        #expect(model.tuning.isEmpty)
    }

    @Test func requestOptionsAreValidated() {
        #expect(throws: TrainingError.self) {
            try TrainingJob.Request(
                algorithm: "ials", tune: nil, snapshotId: nil, hyperparameters: ["factors": -1], configuration: [:])
        }
        #expect(throws: TrainingError.self) {
            try TrainingJob.Request(
                algorithm: "ials", tune: nil, snapshotId: nil, hyperparameters: ["depth": 3], configuration: [:])
        }
        #expect(throws: TrainingError.self) { try Self.request(algorithm: "deep") }
        #expect(throws: TrainingError.self) { try Self.request(gate: "2") }
        #expect(throws: TrainingError.self) {
            try TrainingJob.Request(algorithm: nil, tune: nil, snapshotId: "../x", configuration: [:])
        }
    }
}
