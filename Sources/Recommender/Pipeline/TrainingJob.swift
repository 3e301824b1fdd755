import Foundation
import Offload
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
        /// Refuse a model that is significantly worse than the current control (the model serving `control` in
        /// ``experimentId``'s deployment, else the newest registered model) by more than this fraction of the
        /// control's NDCG@10. The control's configuration is refit on the candidate's split and both are
        /// evaluated on the same test users; the run is refused when the upper end of the 95 % interval of the
        /// paired per-user difference (candidate − control) is below `−drop × control NDCG@10`
        /// (see ``PairedComparison/refuses(maxRelativeDrop:)``).
        public var gateMaxRelativeDrop: Double?
        /// The experiment whose control model the gate compares against.
        public var experimentId = "rec-engine"
        /// Threads each fit uses; `nil`: every active core. The fit is the same whatever the count.
        public var threads: Int?
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
        /// The gate's comparison with the control on the same split, when the gate ran.
        public var comparison: PairedComparison?

        /// Creates an outcome.
        public init(
            status: String, runId: String, dataSnapshotId: String, model: ModelMetadata? = nil,
            reason: String? = nil, comparison: PairedComparison? = nil
        ) {
            self.status = status
            self.runId = runId
            self.dataSnapshotId = dataSnapshotId
            self.model = model
            self.reason = reason
            self.comparison = comparison
        }
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
        let registry = ModelRegistry(store: store)
        let baseline: (metadata: ModelMetadata, configuration: ModelConfiguration)? =
            if request.gateMaxRelativeDrop != nil, let metadata = try await gateBaseline(request, registry) {
                (metadata, try Self.configuration(of: metadata))
            } else { nil }
        let pipeline = TrainingPipeline(candidates: candidates, threads: request.threads)
        let (result, comparison) = try await Offload.cpu.run {
            let result = try pipeline.run(interactions) { step in
                var line = step.stage
                if let iteration = step.iteration { line += " iteration \(iteration)" }
                line += String(format: " %.3fs", step.seconds)
                if let loss = step.loss { line += String(format: " loss %.4f", loss) }
                progress(line)
            }
            guard let baseline else { return (result, PairedComparison?.none) }
            // The control is refit on the candidate's split, so both are ranked on the same held-out items by
            // models that saw the same training data: the difference is the models', not the snapshots'.
            progress("gate: refitting control \(baseline.metadata.version) (\(baseline.configuration)) on this split")
            let control = try pipeline.evaluateTest(baseline.configuration, on: result.split)
            let comparison = try PairedComparison(
                candidate: result.test, baseline: control, baselineVersion: baseline.metadata.version.description)
            return (result, comparison)
        }
        let metrics = ModelMetadata.OfflineMetrics(
            k: result.test.k,
            evaluatedUsers: result.test.evaluatedUsers,
            skippedUsers: result.test.skippedUsers,
            overall: result.test.overall,
            subpopulations: result.test.subpopulations,
            tiedHoldOutUsers: result.test.tiedHoldOutUsers,
            sampledFromUsers: result.test.sampledFromUsers
        )
        if let maxDrop = request.gateMaxRelativeDrop, let comparison {
            let summary = String(
                format:
                    "NDCG@10 %.4f vs control %@ %.4f on the same %d users: difference %+.4f, 95%% CI [%+.4f, %+.4f]",
                comparison.candidateNdcg, comparison.baselineVersion ?? "?", comparison.baselineNdcg,
                comparison.users, comparison.meanDifference, comparison.lower95, comparison.upper95)
            progress("gate: " + summary)
            if comparison.refuses(maxRelativeDrop: maxDrop) {
                let reason =
                    summary
                    + String(
                        format: "; the whole interval is below the allowed drop %.4f (%.0f%% of the control)",
                        -maxDrop * comparison.baselineNdcg, maxDrop * 100)
                let outcome = Outcome(
                    status: "rejected", runId: runId, dataSnapshotId: snapshot.id, reason: reason,
                    comparison: comparison)
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
                userCount: result.model.users.count,
                gateComparison: comparison
            )
        }
        progress("registered \(metadata.version) (NDCG@10 \(String(format: "%.4f", metrics.overall.ndcg)))")
        let outcome = Outcome(
            status: "registered", runId: runId, dataSnapshotId: snapshot.id, model: metadata, comparison: comparison)
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

    /// The configuration a registered model was trained with, to refit it on another split.
    static func configuration(of metadata: ModelMetadata) throws -> ModelConfiguration {
        guard let algorithm = Algorithm(rawValue: metadata.algorithm) else {
            throw TrainingError.invalidRequest(
                "the gate's control \(metadata.version) has an unknown algorithm \"\(metadata.algorithm)\"")
        }
        return try ModelConfiguration(algorithm: algorithm, hyperparameters: metadata.hyperparameters)
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
