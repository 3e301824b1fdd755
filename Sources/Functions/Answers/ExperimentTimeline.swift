import Experiments
import Foundation

/// What `GET /experiments/{experimentId}/timeline?windowHours=N` answers: cumulative counts from the window
/// start, one point per hour, with the always-valid and SRM p-values and the decision at each hour's end — per
/// variant for an A/B experiment (with CUPED's adjusted and raw differences), wins, losses and ties for an
/// interleaving one. Public and decodable so that clients in the package (the console) read the answer with the
/// handler's own type.
public struct ExperimentTimeline: Codable, Sendable, Equatable {
    /// Cumulative counts of one variant at one hour's end.
    public struct VariantPoint: Codable, Sendable, Equatable {
        public var variant: String
        public var users: Int
        public var conversions: Int
        public var conversionRate: Double?
    }

    /// Cumulative riders and their outcomes in an interleaving experiment at one hour's end.
    public struct InterleavingPoint: Codable, Sendable, Equatable {
        public var riders: Int
        public var wins: Int
        public var losses: Int
        public var ties: Int
        /// `(wins + ties/2) / riders − 0.5`, `nil` without riders.
        public var preference: Double?
    }

    /// The treatment − control difference at one hour's end, raw and adjusted by CUPED, with 95 % intervals.
    public struct CupedPoint: Codable, Sendable, Equatable {
        public var raw: EstimateInterval
        public var adjusted: EstimateInterval
    }

    /// The experiment as it stood at the end of one hour of the window.
    public struct Point: Codable, Sendable, Equatable {
        public var hourEnding: Date
        public var variants: [VariantPoint]
        public var interleaving: InterleavingPoint?
        public var cuped: CupedPoint?
        public var alwaysValidPValue: Double?
        public var srmPValue: Double?
        /// The decision the analysis would have made at this hour's end.
        public var decision: Decision
    }

    public var experimentId: String
    public var design: ExperimentDesign
    public var variants: [String]
    public var points: [Point]
}
