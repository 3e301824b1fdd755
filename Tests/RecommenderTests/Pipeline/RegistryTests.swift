import Foundation
import Recommender
import Storage
import Testing

@Suite("the model registry: versions, publication order, crash safety")
struct RegistryTests {
    static func model() throws -> TrainedModel {
        let interactions = (0..<30).map {
            Interaction(userId: "u\($0 % 6)", itemId: "p\($0 % 4)", timestamp: Int64($0))
        }
        return try TrainedModel.fit(InteractionMatrix(interactions: interactions), configuration: .popularity)
    }

    static func describe(_ version: ModelVersion, _ uri: String, _ sha: String, _ bytes: Int) -> ModelMetadata {
        ModelMetadata(
            version: version,
            createdAt: Date(timeIntervalSince1970: 1_790_000_000),
            algorithm: "popularity",
            hyperparameters: [:],
            lineage: .init(
                dataSnapshotId: "snap-0000000000000000", eventCount: 30, interactionCount: 30, pipelineGitSha: "abc",
                containerImageDigest: "sha256:x", artifactUri: uri, artifactSha256: sha, artifactBytes: bytes),
            offlineMetrics: .init(
                k: 10, evaluatedUsers: 0, skippedUsers: 0,
                overall: RankingMetrics(users: 0, hitRate: 0, ndcg: 0, mrr: 0, coverage: 0), subpopulations: [:]),
            tuning: [],
            trainingSeconds: 0.1,
            itemCount: 4,
            userCount: 6
        )
    }

    @Test func versionsParseStrictly() {
        #expect(ModelVersion("v0.1.0") == ModelVersion(major: 0, minor: 1, patch: 0))
        #expect(ModelVersion("v10.20.3")?.description == "v10.20.3")
        for bad in ["0.1.0", "v0.1", "v0.1.0.1", "v01.1.0", "v0.1.x", "v0.1.0/..", "../v0.1.0", "v-1.0.0", ""] {
            #expect(ModelVersion(bad) == nil, "\(bad)")
        }
        #expect(ModelVersion("v0.10.0")! > ModelVersion("v0.9.0")!)
    }

    @Test func eachRegistrationTakesTheNextMinorVersion() async throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store)
        let model = try Self.model()
        let first = try await registry.register(model, describe: Self.describe)
        let second = try await registry.register(model, describe: Self.describe)
        #expect(first.version.description == "v0.1.0")
        #expect(second.version.description == "v0.2.0")
        #expect(try await registry.list().map(\.version.description) == ["v0.2.0", "v0.1.0"])
        #expect(first.lineage.artifactUri.hasPrefix("file://"))
        #expect(first.lineage.artifactUri.hasSuffix("models/v0.1.0/model.bin"))
        let (metadata, loaded) = try await registry.loadModel(second.version)
        #expect(metadata == second)
        #expect(loaded == model)
    }

    @Test func anArtifactWithoutMetadataIsInvisibleAndItsVersionSkipped() async throws {
        let fixture = try StoreFixture()
        // A run that crashed after writing its artifact, before publishing the metadata.
        try await fixture.store.put("models/v0.1.0/model.bin", data: Data([1, 2, 3]), precondition: .ifNoneMatch)
        let registry = ModelRegistry(store: fixture.store)
        #expect(try await registry.list().isEmpty)
        await #expect(throws: RegistryError.unknownVersion(.first)) { try await registry.loadModel(.first) }
        let registered = try await registry.register(try Self.model(), describe: Self.describe)
        #expect(registered.version.description == "v0.2.0")
    }

    @Test func aCorruptedArtifactIsRefusedOnLoad() async throws {
        let fixture = try StoreFixture()
        let registry = ModelRegistry(store: fixture.store)
        let registered = try await registry.register(try Self.model(), describe: Self.describe)
        let key = ModelMetadata.artifactKey(for: registered.version)
        var bytes = try #require(try await fixture.store.get(key)).data
        bytes[bytes.count / 2] ^= 0xFF
        try await fixture.store.put(key, data: bytes, precondition: .none)
        await #expect {
            try await registry.loadModel(registered.version)
        } throws: { error in
            guard case .corruptArtifact(let version, let reason)? = error as? RegistryError else { return false }
            return version == registered.version && reason.contains("checksum")
        }
    }
}
