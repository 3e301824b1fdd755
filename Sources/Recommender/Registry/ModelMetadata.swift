import Foundation

/// Everything known about a registered model: where it came from and how good it was offline.
///
/// Written once to `models/<version>/metadata.json`, after the artifact: its presence publishes the version.
public struct ModelMetadata: Codable, Sendable, Equatable {
    /// The model's version.
    public var version: ModelVersion
    /// When it was registered.
    public var createdAt: Date
    /// The algorithm (`popularity`, `ials`, `ease`).
    public var algorithm: String
    /// The chosen hyperparameters.
    public var hyperparameters: [String: Double]
    /// Where the data came from.
    public var lineage: Lineage
    /// Offline evaluation on the held-out test items.
    public var offlineMetrics: OfflineMetrics
    /// The candidates tried on the validation split and their NDCG@10, when tuning ran.
    public var tuning: [TuningPoint]
    /// Wall-clock seconds of the final fit.
    public var trainingSeconds: Double
    /// Catalogue size the model scores.
    public var itemCount: Int
    /// Users with a learned profile.
    public var userCount: Int
    /// The quality gate's comparison with the serving model on this model's split, when the gate ran
    /// (absent in metadata written before the gate compared on the same split).
    public var gateComparison: PairedComparison?

    /// Creates metadata.
    public init(
        version: ModelVersion,
        createdAt: Date,
        algorithm: String,
        hyperparameters: [String: Double],
        lineage: Lineage,
        offlineMetrics: OfflineMetrics,
        tuning: [TuningPoint],
        trainingSeconds: Double,
        itemCount: Int,
        userCount: Int,
        gateComparison: PairedComparison? = nil
    ) {
        self.version = version
        self.createdAt = createdAt
        self.algorithm = algorithm
        self.hyperparameters = hyperparameters
        self.lineage = lineage
        self.offlineMetrics = offlineMetrics
        self.tuning = tuning
        self.trainingSeconds = trainingSeconds
        self.itemCount = itemCount
        self.userCount = userCount
        self.gateComparison = gateComparison
    }

    /// Provenance of a model: data, code, image and artifact.
    public struct Lineage: Codable, Sendable, Equatable {
        /// The content-addressed snapshot id of the training events.
        public var dataSnapshotId: String
        /// Events in the snapshot (after de-duplication).
        public var eventCount: Int
        /// Interactions (rides) trained on.
        public var interactionCount: Int
        /// The git commit of the pipeline that trained it.
        public var pipelineGitSha: String
        /// The container image that trained it.
        public var containerImageDigest: String
        /// Where the artifact lives (`file://`, `s3://`, `gs://`).
        public var artifactUri: String
        /// SHA-256 of the artifact bytes, checked when the model is loaded.
        public var artifactSha256: String
        /// Artifact size in bytes.
        public var artifactBytes: Int
        /// Set when this version is an older one with a rider erased from it (absent in all other metadata).
        public var erasure: ErasureLineage?

        /// Creates a lineage record.
        public init(
            dataSnapshotId: String,
            eventCount: Int,
            interactionCount: Int,
            pipelineGitSha: String,
            containerImageDigest: String,
            artifactUri: String,
            artifactSha256: String,
            artifactBytes: Int,
            erasure: ErasureLineage? = nil
        ) {
            self.dataSnapshotId = dataSnapshotId
            self.eventCount = eventCount
            self.interactionCount = interactionCount
            self.pipelineGitSha = pipelineGitSha
            self.containerImageDigest = containerImageDigest
            self.artifactUri = artifactUri
            self.artifactSha256 = artifactSha256
            self.artifactBytes = artifactBytes
            self.erasure = erasure
        }
    }

    /// Ranking quality at k on the leave-last-out test split.
    public struct OfflineMetrics: Codable, Sendable, Equatable {
        /// The cutoff.
        public var k: Int
        /// Users evaluated.
        public var evaluatedUsers: Int
        /// Users skipped (too little history).
        public var skippedUsers: Int
        /// HR@k, NDCG@k, MRR@k (each with its standard error), coverage@k over all evaluated users.
        public var overall: RankingMetrics
        /// The same per subpopulation (`activity:<50`, `activity:>=50`, `city:<name>` …).
        public var subpopulations: [String: RankingMetrics]
        /// Evaluated users whose test item was chosen among interactions with the same timestamp (see
        /// ``LeaveOneOutSplit``); absent in older metadata.
        public var tiedHoldOutUsers: Int?
        /// When set, the metrics come from a seeded sample of `evaluatedUsers` out of this many users.
        public var sampledFromUsers: Int?

        /// Creates an offline metrics record.
        public init(
            k: Int,
            evaluatedUsers: Int,
            skippedUsers: Int,
            overall: RankingMetrics,
            subpopulations: [String: RankingMetrics],
            tiedHoldOutUsers: Int? = nil,
            sampledFromUsers: Int? = nil
        ) {
            self.k = k
            self.evaluatedUsers = evaluatedUsers
            self.skippedUsers = skippedUsers
            self.overall = overall
            self.subpopulations = subpopulations
            self.tiedHoldOutUsers = tiedHoldOutUsers
            self.sampledFromUsers = sampledFromUsers
        }
    }

    /// One hyperparameter candidate and its validation NDCG.
    public struct TuningPoint: Codable, Sendable, Equatable {
        /// The candidate.
        public var hyperparameters: [String: Double]
        /// NDCG@k on the validation split.
        public var validationNdcg: Double

        /// Creates a tuning point.
        public init(hyperparameters: [String: Double], validationNdcg: Double) {
            self.hyperparameters = hyperparameters
            self.validationNdcg = validationNdcg
        }
    }

    /// The metadata key of `version`.
    public static func key(for version: ModelVersion) -> String { "models/\(version)/metadata.json" }
    /// The artifact key of `version`.
    public static func artifactKey(for version: ModelVersion) -> String { "models/\(version)/model.bin" }
}
