import Foundation
import Storage

/// One training run end to end: lease → snapshot → tune, evaluate and fit → quality gate → register → audit.
///
/// Used by `rideease train`, the scheduled `train` function and `POST /train`; runs never overlap (a lease in the
/// store), and a run that fails or is refused leaves the registry unchanged.
public struct TrainingJob: Sendable {
    /// What to train and under which rules.
    public struct Request: Sendable {
        /// The algorithm of the served model.
        public var algorithm: Algorithm = .ials
        /// Choose hyperparameters on a validation split from a small grid (otherwise use ``hyperparameters``).
        public var tune = true
        /// Fixed hyperparameters (missing ones take the algorithm's defaults); setting any turns tuning off.
        public var hyperparameters: [String: Double] = [:]
        /// Retrain on exactly this snapshot instead of freezing the events now.
        public var snapshotId: String?
        /// Refuse a model whose test NDCG@10 is more than this fraction below the current control's (the model
        /// serving `control` in ``experimentId``'s deployment, else the newest registered model).
        public var gateMaxRelativeDrop: Double?
        /// The experiment whose control model the gate compares against.
        public var experimentId = "rec-engine"
        /// Lineage recorded with the model.
        public var pipelineGitSha = "unknown"
        /// Lineage recorded with the model.
        public var containerImageDigest = "unknown"

        /// Creates a request with the defaults: tuned iALS on all events, no gate.
        public init() {}
    }

    /// What a run did.
    public struct Outcome: Codable, Sendable, Equatable {
        /// `registered`, or `rejected` by the gate.
        public var status: String
        /// The run's id (also its audit record's name).
        public var runId: String
        /// The snapshot trained on.
        public var dataSnapshotId: String
        /// The registered model, when registered.
        public var model: ModelMetadata?
        /// Why the gate refused, when rejected.
        public var reason: String?
    }

    let store: any ObjectStore
    let owner: String
    let now: @Sendable () -> Date

    /// Creates a job over `store`; `owner` names this process in the lease.
    public init(store: any ObjectStore, owner: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.owner = owner
        self.now = now
    }

    /// Runs one training; `progress` receives human-readable lines (stage, iteration, time).
    public func run(
        _ request: Request, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Outcome {
        let runId =
            "train-" + ISO8601DateFormatter().string(from: now()).filter(\.isNumber) + "-"
            + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let lock = TrainingLock(store: store)
        let etag = try await lock.acquire(runId: runId, owner: owner, now: now(), duration: 3600)
        do {
            let outcome = try await train(request, runId: runId, progress: progress)
            await lock.release(etag: etag, runId: runId, owner: owner)
            return outcome
        } catch {
            await lock.release(etag: etag, runId: runId, owner: owner)
            try? await audit(runId: runId, ["runId": runId, "status": "failed", "error": "\(error)"])
            throw error
        }
    }

    private func train(
        _ request: Request, runId: String, progress: @escaping @Sendable (String) -> Void
    ) async throws
        -> Outcome
    {
        let snapshots = SnapshotStore(store: store)
        let (snapshot, events) =
            if let id = request.snapshotId { try await snapshots.load(id) } else {
                try await snapshots.take(now: now())
            }
        progress("snapshot \(snapshot.id): \(snapshot.eventCount) events in \(snapshot.segments.count) segments")
        let interactions = events.compactMap(\.interaction)
        guard !interactions.isEmpty else {
            throw TrainingError.noData("snapshot \(snapshot.id) has no ride events; import or simulate some first")
        }
        let candidates =
            request.tune
            ? TrainingPipeline.defaultGrid(for: request.algorithm)
            : [try ModelConfiguration(algorithm: request.algorithm, hyperparameters: request.hyperparameters)]
        let result = try await BlockingWork.run {
            try TrainingPipeline(candidates: candidates).run(interactions) { step in
                var line = step.stage
                if let iteration = step.iteration { line += " iteration \(iteration)" }
                line += String(format: " %.3fs", step.seconds)
                if let loss = step.loss { line += String(format: " loss %.4f", loss) }
                progress(line)
            }
        }
        let metrics = ModelMetadata.OfflineMetrics(
            k: result.test.k,
            evaluatedUsers: result.test.evaluatedUsers,
            skippedUsers: result.test.skippedUsers,
            overall: result.test.overall,
            subpopulations: result.test.subpopulations
        )
        let registry = ModelRegistry(store: store)
        if let maxDrop = request.gateMaxRelativeDrop, let baseline = try await gateBaseline(request, registry) {
            let floor = baseline.offlineMetrics.overall.ndcg * (1 - maxDrop)
            if metrics.overall.ndcg < floor {
                let reason = String(
                    format: "NDCG@10 %.4f is below %.4f (%@ %.4f minus %.0f%%)",
                    metrics.overall.ndcg, floor, baseline.version.description, baseline.offlineMetrics.overall.ndcg,
                    maxDrop * 100)
                let outcome = Outcome(status: "rejected", runId: runId, dataSnapshotId: snapshot.id, reason: reason)
                try await audit(runId: runId, outcome)
                return outcome
            }
        }
        let createdAt = now()
        let metadata = try await registry.register(result.model) { version, uri, sha256, bytes in
            ModelMetadata(
                version: version,
                createdAt: createdAt,
                algorithm: result.chosen.algorithm.rawValue,
                hyperparameters: result.chosen.hyperparameters,
                lineage: .init(
                    dataSnapshotId: snapshot.id,
                    eventCount: snapshot.eventCount,
                    interactionCount: result.interactionCount,
                    pipelineGitSha: request.pipelineGitSha,
                    containerImageDigest: request.containerImageDigest,
                    artifactUri: uri,
                    artifactSha256: sha256,
                    artifactBytes: bytes
                ),
                offlineMetrics: metrics,
                tuning: result.grid.map {
                    .init(hyperparameters: $0.configuration.hyperparameters, validationNdcg: $0.validation.ndcg)
                },
                trainingSeconds: result.trainingSeconds,
                itemCount: result.model.items.count,
                userCount: result.model.users.count
            )
        }
        progress("registered \(metadata.version) (NDCG@10 \(String(format: "%.4f", metrics.overall.ndcg)))")
        let outcome = Outcome(status: "registered", runId: runId, dataSnapshotId: snapshot.id, model: metadata)
        try await audit(runId: runId, outcome)
        return outcome
    }

    /// The model a candidate must not be much worse than: the deployed control, else the newest registered model.
    private func gateBaseline(_ request: Request, _ registry: ModelRegistry) async throws -> ModelMetadata? {
        if let control = try await DeploymentStore(store: store).current(request.experimentId)?.0.versions["control"],
            let metadata = try await registry.metadata(for: control)
        {
            return metadata
        }
        return try await registry.list().first
    }

    /// Appends the run's record to `audit/training/<runId>.json` (create-only: the audit trail is append-only).
    private func audit(runId: String, _ record: some Encodable) async throws {
        try await store.put(
            "audit/training/\(runId).json", data: try ModelRegistry.encoder.encode(record), precondition: .ifNoneMatch)
    }
}

/// Why a training run did not happen.
public enum TrainingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another run holds the lease.
    case alreadyRunning(runId: String)
    /// Nothing to train on.
    case noData(String)
    /// An option or setting is out of range.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let runId): "training run \(runId) is in progress; runs never overlap"
        case .noData(let message), .invalidRequest(let message): message
        }
    }
}
