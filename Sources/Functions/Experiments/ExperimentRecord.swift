import Experiments
import Foundation
import Recommender

/// Where an experiment is in its life: created, serving riders, or stopped with its final summary kept.
public enum ExperimentStatus: String, Codable, Sendable, Hashable {
    case draft, running, stopped
}

/// One arm as recorded: its name, its share of the covered riders, and the model version that serves it.
public struct RecordedVariant: Codable, Sendable, Equatable {
    public var name: String
    public var weight: Double
    /// The version the arm serves from the moment the experiment starts; `nil` keeps what already serves it.
    public var version: String?

    public init(name: String, weight: Double, version: String? = nil) {
        self.name = name
        self.weight = weight
        self.version = version
    }
}

/// CUPED's settings for an A/B experiment: how far back the covariate looks before each rider's first exposure.
public struct CupedSettings: Codable, Sendable, Equatable {
    /// Allowed pre-window lengths; two months of history is already far more than the metric remembers.
    public static let allowedDays = 1...60

    public var preWindowDays: Int

    public init(preWindowDays: Int = 14) { self.preWindowDays = preWindowDays }
}

/// An experiment as the admin API creates, starts and stops it: `experiment-records/<id>.json`.
///
/// Mutable, so it is written only with compare-and-swap on its ETag, and every change is audited. The
/// assignment itself (seed, weights, coverage) cannot change once created: a different split is a different
/// experiment, because riders already counted would otherwise move between arms.
public struct ExperimentRecord: Codable, Sendable, Equatable {
    /// The metrics an experiment can be judged on.
    public static let metrics = ["conversion"]

    public var id: String
    public var design: ExperimentDesign
    public var seed: String
    public var variants: [RecordedVariant]
    public var coverage: Double
    public var metric: String
    /// `nil` for interleaving, and for A/B experiments created with `"cuped": null`.
    public var cuped: CupedSettings?
    public var status: ExperimentStatus
    public var createdAt: Date
    public var startedAt: Date?
    public var stoppedAt: Date?
    /// The variant every rider gets once the experiment is stopped.
    public var servedAfterStop: String?
    /// The summary at the moment it stopped, answered from then on.
    public var finalSummary: ExperimentReport?
    /// Incremented by every change.
    public var revision: Int
    /// The ε-greedy exploration slot of an A/B experiment's lists (off when `nil`, the default): what makes its
    /// logged traffic usable for replaying other models (`rideease eval --replay`).
    public var exploration: ExplorationSettings? = nil

    /// The assignment this record describes (validated when the record was created).
    public var definition: ExperimentDefinition {
        get throws(ExperimentsError) {
            try ExperimentDefinition(
                id: id, seed: seed, variants: variants.map { ExperimentVariant(name: $0.name, weight: $0.weight) },
                coverage: coverage)
        }
    }

    /// The variant names in bucket order; the first is the control.
    public var variantNames: [String] { variants.map(\.name) }

    /// Whether riders are assigned and counted right now.
    public var isRunning: Bool { status == .running }
}
