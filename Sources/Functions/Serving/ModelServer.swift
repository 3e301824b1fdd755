import Experiments
import Foundation
import Logging
import Recommender
import Storage
import Synchronization

/// A model loaded, verified and ready to answer, with its metadata.
struct LoadedModel: Sendable {
    let metadata: ModelMetadata
    let model: TrainedModel
}

/// What one instance serves right now: an immutable value swapped as a whole, so a request sees one consistent
/// generation and never a half-loaded model.
struct ServingState: Sendable {
    var generation = 0
    var etag: String?
    var models: [String: LoadedModel] = [:]
}

/// Keeps this instance serving what `deployments/<experiment>.json` says, across every instance sharing the store.
///
/// ``refresh()`` reads the deployment; when it changed, the versions it names are loaded (from a small cache of
/// loaded versions or the registry), verified, and only then swapped in with one reference assignment. A version
/// that fails to load leaves the previous state serving and is counted. On an empty store the first instance
/// bootstraps a deployment with the newest registered model for every variant.
final class ModelServer: Sendable {
    let experiment: ExperimentDefinition
    private let registry: ModelRegistry
    private let deployments: DeploymentStore
    private let metrics: ServingMetrics
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let state = Mutex(ServingState())
    private let cache = Mutex<[ModelVersion: LoadedModel]>([:])

    init(
        experiment: ExperimentDefinition,
        store: any ObjectStore,
        metrics: ServingMetrics,
        logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.experiment = experiment
        self.registry = ModelRegistry(store: store)
        self.deployments = DeploymentStore(store: store)
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }

    /// The state requests read; one lock-protected reference copy.
    var current: ServingState { state.withLock { $0 } }

    /// Whether every variant has a model loaded (readiness).
    var isReady: Bool {
        let models = current.models
        return experiment.variantNames.allSatisfy { models[$0] != nil }
    }

    /// Brings this instance up to date with the stored deployment.
    func refresh() async {
        do {
            guard let (deployment, etag) = try await currentOrBootstrap() else { return }
            guard etag != current.etag else { return }
            var models: [String: LoadedModel] = [:]
            for (variant, version) in deployment.versions {
                models[variant] = try await load(version, variant: variant)
            }
            let next = ServingState(generation: deployment.generation, etag: etag, models: models)
            let previous = state.withLock { state in
                defer { state = next }
                return state
            }
            metrics.served(previous: previous.models, next: models)
            if previous.generation != next.generation {
                logger.info(
                    "deployment loaded",
                    metadata: [
                        "generation": "\(next.generation)",
                        "versions": "\(models.mapValues(\.metadata.version.description).sorted { $0.key < $1.key })",
                    ]
                )
            }
        } catch {
            metrics.storageError(operation: "refresh")
            logger.warning("deployment refresh failed; serving the previous models", metadata: ["error": "\(error)"])
        }
    }

    /// Loads `version` (cached after the first time) and checks it answers.
    func load(_ version: ModelVersion, variant: String) async throws -> LoadedModel {
        if let cached = cache.withLock({ $0[version] }) { return cached }
        do {
            let (metadata, model) = try await registry.loadModel(version)
            try Self.smokeCheck(model, version: version)
            let loaded = LoadedModel(metadata: metadata, model: model)
            cache.withLock { cache in
                // Keep only a few versions: the serving ones plus recent candidates for a quick switch back.
                if cache.count >= 4, let oldest = cache.keys.min() { cache[oldest] = nil }
                cache[version] = loaded
            }
            return loaded
        } catch {
            metrics.modelLoadFailure(variant: variant)
            throw error
        }
    }

    /// A model must answer a known and an unknown user with finite scores before it may serve.
    static func smokeCheck(_ model: TrainedModel, version: ModelVersion) throws {
        guard model.items.count > 0 else { throw SmokeCheckError(version: version, reason: "the catalog is empty") }
        let probes = [model.users.ids.first ?? "", "rideease-smoke-check-unknown-user"]
        for user in probes {
            let list = model.recommendations(forUser: user, limit: min(10, model.items.count))
            guard !list.items.isEmpty, list.items.allSatisfy({ $0.score.isFinite }) else {
                throw SmokeCheckError(version: version, reason: "no finite recommendations for a probe user")
            }
        }
    }

    private func currentOrBootstrap() async throws -> (Deployment, String)? {
        if let found = try await deployments.current(experiment.id) { return found }
        guard let newest = try await registry.list().first else { return nil }
        let versions = Dictionary(uniqueKeysWithValues: experiment.variantNames.map { ($0, newest.version) })
        let deployment = Deployment(
            experimentId: experiment.id, generation: 1, versions: versions, previous: nil, updatedAt: now(),
            updatedBy: "bootstrap")
        let audit = DeploymentAudit(
            action: "bootstrap", actor: "rideease", at: now(), generation: 1, from: [:], to: versions, requestId: nil)
        do {
            let etag = try await deployments.swap(deployment, expecting: nil, audit: audit)
            return (deployment, etag)
        } catch StorageError.preconditionFailed {
            return try await deployments.current(experiment.id)  // another instance bootstrapped first
        }
    }
}

/// A model version that failed its pre-serving check.
struct SmokeCheckError: Error, CustomStringConvertible {
    let version: ModelVersion
    let reason: String

    var description: String { "model \(version) failed its smoke check: \(reason)" }
}
