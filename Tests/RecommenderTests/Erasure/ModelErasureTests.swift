import Foundation
import Storage
import Testing

@testable import Recommender

@Suite("erasing a rider from the published models: patch, switch, retire")
struct ModelErasureTests {
    typealias Scenario = ErasureScenario
    static let v010 = Scenario.version("v0.1.0")
    static let v020 = Scenario.version("v0.2.0")
    static let v030 = Scenario.version("v0.3.0")

    @Test func patchesEveryVersionThatKnewTheRiderAndServesThePatch() async throws {
        let scenario = try Scenario()
        let fixture = try StoreFixture()
        try await scenario.populate(fixture.store)
        let erasure = ModelErasure(store: fixture.store)
        let patches = try await erasure.eraseRider(Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now)
        let v011 = Scenario.version("v0.1.1")
        let v021 = Scenario.version("v0.2.1")
        #expect(
            patches == [
                ModelPatch(retired: Self.v010, replacement: v011), .init(retired: Self.v020, replacement: v021),
            ])

        let registry = ModelRegistry(store: fixture.store)
        for (patch, original) in zip(patches, scenario.models) {
            let parent = try #require(try await registry.metadata(for: patch.retired))
            let (metadata, model) = try await registry.loadModel(patch.replacement)
            #expect(
                metadata.lineage.erasure
                    == ErasureLineage(parent: patch.retired, erasure: Scenario.erasureId, reason: "rider erasure"))
            #expect(metadata.userCount == parent.userCount - 1)
            #expect(metadata.createdAt == Scenario.now)
            #expect(metadata.offlineMetrics == parent.offlineMetrics)
            #expect(metadata.hyperparameters == parent.hyperparameters)
            #expect(metadata.lineage.dataSnapshotId == parent.lineage.dataSnapshotId)
            #expect(metadata.lineage.artifactSha256 != parent.lineage.artifactSha256)
            #expect(model == (try TrainedModel(artifact: original.artifactData())).removingUser(Scenario.rider))
            for user in original.users.ids where user != Scenario.rider {
                let limit = original.items.count
                #expect(
                    model.recommendations(forUser: user, limit: limit)
                        == original.recommendations(forUser: user, limit: limit))
            }
            #expect(model.recommendations(forUser: Scenario.rider, limit: 5).fallback)

            // The parent stays listed, its artifact is gone, and loading it names the replacement.
            #expect(try await fixture.store.head(ModelMetadata.artifactKey(for: patch.retired)) == nil)
            let retirement = try #require(try await registry.retirement(of: patch.retired))
            #expect(retirement.supersededBy == patch.replacement)
            #expect(retirement.reason == "rider erasure")
            #expect(retirement.erasure == Scenario.erasureId)
            #expect(retirement.retiredAt == Scenario.now)
            await #expect(
                throws: RegistryError.retired(patch.retired, supersededBy: patch.replacement, reason: "rider erasure")
            ) { try await registry.loadModel(patch.retired) }
        }
        #expect(
            "\(RegistryError.retired(Self.v010, supersededBy: v011, reason: "rider erasure"))"
                == "model version v0.1.0 was retired by a rider erasure; use v0.1.1")
        #expect(try await registry.metadata(for: Self.v030)?.lineage.erasure == nil)
        #expect(try await registry.retirement(of: Self.v030) == nil)
        #expect(
            try await registry.list().map(\.version.description) == ["v0.3.0", "v0.2.1", "v0.2.0", "v0.1.1", "v0.1.0"])
        #expect(Set(try await registry.retirements().keys) == [Self.v010, Self.v020])

        // The deployment moved by compare-and-swap, with an audit record; the rollback target moved too.
        let (deployment, _) = try #require(
            try await DeploymentStore(store: fixture.store).current(Scenario.experimentId))
        #expect(deployment.versions == ["control": v021, "treatment": Self.v030])
        #expect(deployment.previous == ["control": v011, "treatment": v011])
        #expect(deployment.generation == 2)
        let audit = try #require(try await fixture.store.get(DeploymentStore.auditKey(for: deployment)))
        let record = try ModelRegistry.decoder.decode(DeploymentAudit.self, from: audit.data)
        #expect(record.action == "erasure")
        #expect(record.from == ["control": Self.v020, "treatment": Self.v030])
        #expect(record.to == deployment.versions)

        // No object in the store holds the rider's id any more.
        let contents = try await Scenario.contents(of: fixture.store, root: fixture.root)
        for (key, data) in contents { #expect(data.range(of: Data(Scenario.rider.utf8)) == nil, "\(key)") }
    }

    @Test func aRerunChangesNothingAndReturnsTheSamePatches() async throws {
        let scenario = try Scenario()
        let fixture = try StoreFixture()
        try await scenario.populate(fixture.store)
        let erasure = ModelErasure(store: fixture.store)
        let first = try await erasure.eraseRider(Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now)
        let before = try await Scenario.contents(of: fixture.store, root: fixture.root)
        let counting = FaultyStore(fixture.store, failAt: nil)
        let again = try await ModelErasure(store: counting).eraseRider(
            Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now.addingTimeInterval(60))
        #expect(again == first)
        #expect(counting.writes == 0)
        #expect(try await Scenario.contents(of: fixture.store, root: fixture.root) == before)
    }

    @Test func anUnknownRiderChangesNothing() async throws {
        let scenario = try Scenario()
        let fixture = try StoreFixture()
        try await scenario.populate(fixture.store)
        let counting = FaultyStore(fixture.store, failAt: nil)
        let patches = try await ModelErasure(store: counting).eraseRider(
            "never-rode-with-us", erasureId: Scenario.erasureId, now: Scenario.now)
        #expect(patches.isEmpty)
        #expect(counting.writes == 0)
    }

    @Test func aVersionWithoutItsArtifactIsSkipped() async throws {
        let scenario = try Scenario()
        let fixture = try StoreFixture()
        try await scenario.populate(fixture.store)
        try await fixture.store.delete(ModelMetadata.artifactKey(for: Self.v010))
        let patches = try await ModelErasure(store: fixture.store).eraseRider(
            Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now)
        #expect(patches == [ModelPatch(retired: Self.v020, replacement: Scenario.version("v0.2.1"))])
    }

    @Test func aSecondErasurePatchesThePatchUnderTheNextFreePatchVersion() async throws {
        let scenario = try Scenario()
        let fixture = try StoreFixture()
        try await scenario.populate(fixture.store)
        // Something unrelated already holds v0.2.2 (an unpublished leftover): that number is skipped.
        try await fixture.store.put("models/v0.2.2/model.bin", data: Data([1, 2, 3]), precondition: .ifNoneMatch)
        let erasure = ModelErasure(store: fixture.store)
        _ = try await erasure.eraseRider(Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now)
        let other = try #require(scenario.models[2].users.ids.first { $0 != Scenario.rider })
        let patches = try await erasure.eraseRider(other, erasureId: "fedcba9876543210", now: Scenario.now)
        #expect(
            patches.map { "\($0.retired)->\($0.replacement)" }.sorted()
                == ["v0.1.1->v0.1.2", "v0.2.1->v0.2.3", "v0.3.0->v0.3.1"])
        let registry = ModelRegistry(store: fixture.store)
        let (_, twice) = try await registry.loadModel(Scenario.version("v0.2.3"))
        #expect(twice.users.index(of: Scenario.rider) == nil)
        #expect(twice.users.index(of: other) == nil)
        #expect(twice.users.count == scenario.models[1].users.count - 2)
        // A new training run still takes the next minor version.
        let next = try await registry.register(scenario.models[2]) { version, uri, sha, bytes in
            Scenario.metadata(scenario.models[2], version: version, uri: uri, sha: sha, bytes: bytes)
        }
        #expect(next.version.description == "v0.4.0")
    }

    @Test func oldMetadataWithoutErasureLineageStillDecodes() throws {
        let metadata = Scenario.metadata(
            try Scenario().models[2], version: Self.v010, uri: "file:///m", sha: "00", bytes: 1)
        let json = String(decoding: try ModelRegistry.encoder.encode(metadata), as: UTF8.self)
        #expect(!json.contains("erasure"))
        #expect(try ModelRegistry.decoder.decode(ModelMetadata.self, from: Data(json.utf8)) == metadata)
    }
}
