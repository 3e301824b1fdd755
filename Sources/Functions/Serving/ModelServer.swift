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
/// experiment and generation and never a half-loaded model.
struct ServingState: Sendable {
    /// The experiment every instance follows (`experiment-records/active.json`) and its assignment.
    var experiment: ExperimentRecord
    var definition: ExperimentDefinition
    var generation = 0
    /// The ETags of the deployment and the record this state was built from.
    var etag: String?
    var models: [String: LoadedModel] = [:]
    /// The experiment's shadow deployment (running or ended) and its model, `nil` when the model failed to load
    /// (its sampled requests then count as shadow errors).
    var shadow: ShadowDeployment?
    var shadowModel: LoadedModel?

    /// The variants that must have a model: all while running, the one served to everyone once stopped.
    var servedVariants: [String] {
        experiment.isRunning
            ? experiment.variantNames : [experiment.servedAfterStop ?? experiment.variantNames[0]]
    }
}

/// Keeps this instance serving the active experiment and what `deployments/<experiment>.json` says for it, across
/// every instance sharing the store.
///
/// ``refresh()`` reads the active-experiment pointer, its record and its deployment; when any changed, the
/// versions the deployment names are loaded (from a small cache of loaded versions or the registry), verified, and
/// only then swapped in with one reference assignment. A version that fails to load leaves the previous state
/// serving and is counted. On an empty store the first instance records the seed experiment (from
/// `RIDEEASE_EXPERIMENT`) as running and bootstraps a deployment with the newest registered model for every variant.
final class ModelServer: Sendable {
    /// The experiment recorded when the store has none (`RIDEEASE_EXPERIMENT`, or `rec-engine` 50/50).
    let seed: ExperimentDefinition
    private let registry: ModelRegistry
    private let deployments: DeploymentStore
    private let records: ExperimentRecordStore
    private let shadows: ShadowStore
    private let metrics: ServingMetrics
    private let shadowMetrics: ShadowMetrics
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let state: Mutex<ServingState>
    private let cache = Mutex<[ModelVersion: LoadedModel]>([:])

    init(
        seed: ExperimentDefinition,
        store: any ObjectStore,
        metrics: ServingMetrics,
        shadowMetrics: ShadowMetrics,
        logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.seed = seed
        self.registry = ModelRegistry(store: store)
        self.deployments = DeploymentStore(store: store)
        self.records = ExperimentRecordStore(store: store)
        self.shadows = ShadowStore(store: store)
        self.shadowMetrics = shadowMetrics
        state = Mutex(ServingState(experiment: Self.seedRecord(seed, at: now()), definition: seed))
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }

    /// The state requests read; one lock-protected reference copy.
    var current: ServingState { state.withLock { $0 } }

    /// Whether every variant served has a model loaded (readiness).
    var isReady: Bool {
        let state = current
        return state.servedVariants.allSatisfy { state.models[$0] != nil }
    }

    /// Brings this instance up to date with the active experiment and its deployment.
    func refresh() async {
        do {
            let (record, recordTag) = try await activeOrSeed()
            guard let (deployment, deploymentTag) = try await currentOrBootstrap(record) else { return }
            let shadow = try await shadows.current(record.id)
            let etag = recordTag + "|" + deploymentTag + "|" + (shadow?.etag ?? "")
            guard etag != current.etag else { return }
            var models: [String: LoadedModel] = [:]
            for (variant, version) in deployment.versions {
                models[variant] = try await load(version, variant: variant)
            }
            let shadowModel = await loadShadow(shadow?.0)
            // A shadow model that did not load is tried again at the next poll: its state never matches the store.
            let retry = shadow?.0.isActive == true && shadowModel == nil
            let next = ServingState(
                experiment: record, definition: try record.definition, generation: deployment.generation,
                etag: retry ? etag + "|retry" : etag, models: models, shadow: shadow?.0, shadowModel: shadowModel)
            let previous = state.withLock { state in
                defer { state = next }
                return state
            }
            metrics.served(previous: previous.models, next: models)
            shadowMetrics.shadowing(
                previous: previous.shadow.flatMap { $0.isActive ? $0.version.description : nil },
                next: next.shadow.flatMap { $0.isActive ? $0.version.description : nil })
            if previous.generation != next.generation || previous.experiment != next.experiment {
                logger.info(
                    "deployment loaded",
                    metadata: [
                        "experiment": "\(record.id)", "status": "\(record.status.rawValue)",
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

    /// The running shadow's model; a version that fails to load leaves the shadow erroring, never the serving.
    private func loadShadow(_ shadow: ShadowDeployment?) async -> LoadedModel? {
        guard let shadow, shadow.isActive else { return nil }
        do {
            return try await load(shadow.version, variant: "shadow")
        } catch {
            logger.warning(
                "shadow model not loaded; its samples count as errors",
                metadata: ["version": "\(shadow.version)", "error": "\(error)"])
            return nil
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

    /// The active experiment's record as stored now, for changes that must not act on a poll-old copy.
    func activeRecord() async throws -> ExperimentRecord { try await activeOrSeed().0 }

    /// The record of the experiment every instance follows; on a store without one, the seed is recorded as
    /// running and made active (whoever writes first wins; the others read what they wrote).
    private func activeOrSeed() async throws -> (ExperimentRecord, String) {
        if let (active, _) = try await records.active() {
            guard let found = try await records.record(active.experimentId) else {
                throw ExperimentRecordMissing(experimentId: active.experimentId)
            }
            return found
        }
        if try await records.record(seed.id) == nil {
            let record = Self.seedRecord(seed, at: now())
            let audit = ExperimentRecordStore.Audit(
                action: "seed", actor: "rideease", at: now(), experimentId: seed.id, from: nil, to: .running,
                revision: record.revision, requestId: nil)
            do {
                try await records.swap(record, expecting: nil, audit: audit)
            } catch StorageError.preconditionFailed {}  // another instance recorded it first
        }
        do {
            try await records.activate(seed.id, expecting: nil)
        } catch StorageError.preconditionFailed {}
        return try await activeOrSeed()
    }

    /// The seed experiment as a record: running since `date`, A/B with CUPED's default pre-window.
    static func seedRecord(_ seed: ExperimentDefinition, at date: Date) -> ExperimentRecord {
        ExperimentRecord(
            id: seed.id, design: .ab, seed: seed.seed,
            variants: seed.variants.map { RecordedVariant(name: $0.name, weight: $0.weight) },
            coverage: seed.coverage, metric: "conversion", cuped: CupedSettings(), status: .running,
            createdAt: date, startedAt: date, stoppedAt: nil, servedAfterStop: nil, finalSummary: nil, revision: 1)
    }

    private func currentOrBootstrap(_ experiment: ExperimentRecord) async throws -> (Deployment, String)? {
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

/// The active pointer names an experiment whose record is gone: keep serving what was loaded.
struct ExperimentRecordMissing: Error, CustomStringConvertible {
    let experimentId: String

    var description: String { "the active experiment \"\(experimentId)\" has no record" }
}

/// A model version that failed its pre-serving check.
struct SmokeCheckError: Error, CustomStringConvertible {
    let version: ModelVersion
    let reason: String

    var description: String { "model \(version) failed its smoke check: \(reason)" }
}
