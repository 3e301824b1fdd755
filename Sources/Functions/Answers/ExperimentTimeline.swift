import Experiments
import Foundation

/// What `GET /experiments/{experimentId}/timeline?windowHours=N` answers: cumulative per-variant counts from the
/// window start, one point per hour, with the always-valid and SRM p-values and the decision at each hour's end.
/// Public and decodable so that clients in the package (the console) read the answer with the handler's own type.
public struct ExperimentTimeline: Codable, Sendable, Equatable {
    /// Cumulative counts of one variant at one hour's end.
    public struct VariantPoint: Codable, Sendable, Equatable {
        public var variant: String
        public var users: Int
        public var conversions: Int
        public var conversionRate: Double?
    }

    /// The experiment as it stood at the end of one hour of the window.
    public struct Point: Codable, Sendable, Equatable {
        public var hourEnding: Date
        public var variants: [VariantPoint]
        public var alwaysValidPValue: Double?
        public var srmPValue: Double?
        /// The decision the analysis would have made at this hour's end.
        public var decision: Decision
    }

    public var experimentId: String
    public var variants: [String]
    public var points: [Point]
}
