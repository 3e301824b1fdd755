import Foundation
import FunctionRuntime
import Recommender
import Scheduler
import Storage
import Testing

@testable import Functions

/// What an erasure must follow beyond the data it rewrites: a shadow scoring with a version it retires, and a
/// training run that read the rider before the first pass and registers its model after it.
@Suite("rider erasure follows shadows and training in progress", .serialized)
struct ErasureFollowUpTests {
    static let rider = RiderErasureTests.rider

    func newStore() throws -> FileStore {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-follow-\(UUID())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return try FileStore(root: root)
    }

    @Test func aShadowOnARetiredVersionMovesToItsReplacement() async throws {
        let store = try newStore()
        let fixture = try ErasureFixture(store: store, now: Date())
        try await RiderErasureTests.seed(fixture)
        for _ in 0..<2 { #expect(try await fixture.invoke("train", body: #"{"tune":false}"#).status == 200) }
        await fixture.refresh()
        let started = try await fixture.invoke("admin-start-shadow", body: #"{"version":"v0.2.0"}"#)
        #expect(started.status == 200)
        #expect(try await fixture.invoke("erase-rider", pathParameters: ["userId": Self.rider]).status == 202)
        try await fixture.erasuresFinished()
        await fixture.shutdown()
        let shadows = ShadowStore(store: store)
        let experimentId = try #require(try await ExperimentRecordStore(store: store).active()?.0.experimentId)
        let (shadow, _) = try #require(try await shadows.current(experimentId))
        #expect(shadow.version.description == "v0.2.1", "the shadow follows v0.2.0's replacement")
        #expect(shadow.isActive)
        let trail = try await shadows.audit(experimentId)
        #expect(trail.map(\.action) == ["start", "erasure"])
        #expect(trail.last?.actor.hasPrefix("rider-erasure ") == true)
        #expect(try await ErasureFixture.keys(in: store, holding: Self.rider) == [])
    }

    @Test func anErasureWaitingForTheMaintenanceLeaseStartsWhenItIsGivenBackNotWhenItWouldExpire() async throws {
        let store = try newStore()
        let lease = StoreLease(store: store, key: StoreLease.maintenanceKey)
        let held = try await lease.acquire(owner: "compaction-elsewhere", now: Date(), duration: 120)
        let hash = RiderHash(key: Data("test-key".utf8))
        let sweep = ErasureSweep(
            store: store, clock: SystemWallClock(), settings: ErasureSettings(settle: 0), hash: hash,
            logger: .init(label: "test"))
        let erasure = Task { try await sweep.run("u-waiting", waitForSettle: false) }
        try await Task.sleep(for: .milliseconds(500))
        let stagesDone = try await ErasureStore(store: store).record(hash.hash("u-waiting"))?.0.stagesDone ?? []
        #expect(stagesDone.isEmpty, "nothing swept while compaction holds the lease")
        await lease.release(held)
        let record = try await erasure.value
        #expect(record.status == .complete)
        #expect(Date() < held.expiresAt, "it went on when the lease was given back, not when it would have lapsed")
    }

    @Test func aTrainingRunInProgressIsWaitedForAndItsModelPatched() async throws {
        let store = try newStore()
        let fixture = try ErasureFixture(store: store, now: Date(timeIntervalSince1970: 1_800_000_000))
        try await RiderErasureTests.seed(fixture)
        #expect(try await fixture.invoke("train", body: #"{"tune":false}"#).status == 200)
        // Another process is training: it read the events before the erasure.
        let lease = #"{"expiresAt":"2027-01-15T08:10:00Z","owner":"elsewhere","runId":"run-x"}"#
        try await store.put("locks/training.json", data: Data(lease.utf8), precondition: .none)
        #expect(try await fixture.invoke("erase-rider", pathParameters: ["userId": Self.rider]).status == 202)
        try await fixture.clock.waitForSleepers(count: 1)
        let progress = try ErasureFixture.json(
            try await fixture.invoke("rider-erasure", pathParameters: ["userId": Self.rider]))
        #expect(progress["status"] as? String == "pending", "not complete while the training run may hold the rider")

        // The run ends: it registers a model that still knows the rider, then gives its lease back.
        let model = try TrainedModel.fit(
            [
                Interaction(userId: Self.rider, itemId: "place-0001", timestamp: 1_799_000_000),
                Interaction(userId: "rider-0008", itemId: "place-0002", timestamp: 1_799_000_000),
            ], configuration: .popularity)
        let registered = try await ModelRegistry(store: store).register(model) { version, uri, sha, bytes in
            Self.metadata(model, version: version, uri: uri, sha: sha, bytes: bytes)
        }
        #expect(registered.version.description == "v0.2.0")
        let released = #"{"expiresAt":"1970-01-01T00:00:00Z","owner":"elsewhere","runId":"run-x"}"#
        let current = try #require(try await store.get("locks/training.json"))
        try await store.put("locks/training.json", data: Data(released.utf8), precondition: .ifMatch(current.etag))
        fixture.clock.advance(by: .seconds(10))
        try await fixture.erasuresFinished()
        await fixture.shutdown()

        let done = try ErasureFixture.json(
            try await fixture.invoke("rider-erasure", pathParameters: ["userId": Self.rider]))
        #expect(done["status"] as? String == "complete")
        let patches = try #require((done["counts"] as? [String: Any])?["modelPatches"] as? [[String: String]])
        #expect(patches.compactMap { $0["retired"] }.sorted() == ["v0.1.0", "v0.2.0"])
        #expect(
            try await ModelRegistry(store: store).retirement(of: registered.version)?.supersededBy.description
                == "v0.2.1")
        #expect(try await ErasureFixture.keys(in: store, holding: Self.rider) == [])
    }

    static func metadata(
        _ model: TrainedModel, version: ModelVersion, uri: String, sha: String, bytes: Int
    ) -> ModelMetadata {
        ModelMetadata(
            version: version, createdAt: Date(timeIntervalSince1970: 1_800_000_000),
            algorithm: model.configuration.algorithm.rawValue, hyperparameters: model.configuration.hyperparameters,
            lineage: .init(
                dataSnapshotId: "snap-0000000000000000", eventCount: 2, interactionCount: 2, pipelineGitSha: "abc",
                containerImageDigest: "sha256:x", artifactUri: uri, artifactSha256: sha, artifactBytes: bytes),
            offlineMetrics: .init(
                k: 10, evaluatedUsers: 0, skippedUsers: 0,
                overall: RankingMetrics(users: 0, hitRate: 0, ndcg: 0, mrr: 0, coverage: 0), subpopulations: [:]),
            tuning: [], trainingSeconds: 0.1, itemCount: model.items.count, userCount: model.users.count)
    }
}
