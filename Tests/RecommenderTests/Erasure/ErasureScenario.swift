import Foundation
import Storage
import Testing

@testable import Recommender

/// A registry with three published versions and one deployment, for the model-erasure suites:
/// v0.1.0 (iALS) and v0.2.0 (EASE) know ``rider``, v0.3.0 (popularity) was trained without them;
/// `exp-a` serves v0.2.0 to control and v0.3.0 to treatment, with v0.1.0 as its rollback target.
struct ErasureScenario {
    static let rider = "user-1017"
    static let experimentId = "exp-a"
    static let erasureId = "0123456789abcdef0123456789abcdef"
    /// A whole second: the deployment's audit key and dates round-trip through ISO 8601 without fractions.
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    let models: [TrainedModel]

    init() throws {
        let interactions = Fixtures.planted(users: 40, items: 24, groups: 4, perUser: 5)
        let without = interactions.filter { $0.userId != Self.rider }
        models = [
            try TrainedModel.fit(
                interactions, configuration: .ials(ALSConfiguration(factors: 4, iterations: 2, seed: 5))),
            try TrainedModel.fit(interactions, configuration: .ease(EASEConfiguration(regularization: 20))),
            try TrainedModel.fit(without, configuration: .popularity),
        ]
    }

    static func version(_ text: String) -> ModelVersion { ModelVersion(text)! }

    /// Registers the three models as v0.1.0–v0.3.0 and records the deployment.
    func populate(_ store: any ObjectStore) async throws {
        let registry = ModelRegistry(store: store)
        for model in models {
            _ = try await registry.register(model) { version, uri, sha, bytes in
                Self.metadata(model, version: version, uri: uri, sha: sha, bytes: bytes)
            }
        }
        let deployment = Deployment(
            experimentId: Self.experimentId, generation: 1,
            versions: ["control": Self.version("v0.2.0"), "treatment": Self.version("v0.3.0")],
            previous: ["control": Self.version("v0.1.0"), "treatment": Self.version("v0.1.0")],
            updatedAt: Self.now.addingTimeInterval(-3600), updatedBy: "admin-api")
        let audit = DeploymentAudit(
            action: "switch", actor: "admin-api", at: deployment.updatedAt, generation: 1, from: [:],
            to: deployment.versions, requestId: nil)
        try await DeploymentStore(store: store).swap(deployment, expecting: nil, audit: audit)
    }

    static func metadata(
        _ model: TrainedModel, version: ModelVersion, uri: String, sha: String, bytes: Int
    ) -> ModelMetadata {
        ModelMetadata(
            version: version, createdAt: now.addingTimeInterval(-86_400),
            algorithm: model.configuration.algorithm.rawValue, hyperparameters: model.configuration.hyperparameters,
            lineage: .init(
                dataSnapshotId: "snap-0000000000000000", eventCount: 200, interactionCount: 200,
                pipelineGitSha: "abc", containerImageDigest: "sha256:x", artifactUri: uri, artifactSha256: sha,
                artifactBytes: bytes),
            offlineMetrics: .init(
                k: 10, evaluatedUsers: 0, skippedUsers: 0,
                overall: RankingMetrics(users: 0, hitRate: 0, ndcg: 0, mrr: 0, coverage: 0), subpopulations: [:]),
            tuning: [], trainingSeconds: 0.1, itemCount: model.items.count, userCount: model.users.count)
    }

    /// Every object in the store, with the store's own folder written as `<root>` so two stores compare.
    static func contents(of store: any ObjectStore, root: URL) async throws -> [String: Data] {
        var result: [String: Data] = [:]
        var token: String?
        repeat {
            let page = try await store.list(prefix: "", continuationToken: token, maxKeys: 1000)
            for object in page.objects {
                guard let data = try await store.get(object.key)?.data else { continue }
                result[object.key] =
                    object.key.hasSuffix(".json")
                    ? Data(
                        String(decoding: data, as: UTF8.self).replacingOccurrences(of: root.path, with: "<root>").utf8)
                    : data
            }
            token = page.continuationToken
        } while token != nil
        return result
    }
}
