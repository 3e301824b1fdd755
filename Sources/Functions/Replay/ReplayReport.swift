import Experiments
import Foundation

/// What `rideease eval --replay` found for one version: the off-policy estimate of its conversion rate on logged
/// traffic, how much of the traffic could be used and why the rest could not, and, over the same window, the rate
/// it achieved where it actually served. Kept at `replays/<version>.json` and shown beside the offline metrics in
/// `GET /admin/models` and the console.
public struct ReplayReport: Codable, Sendable, Equatable {
    /// The rate a version achieved where it served (requests it answered alone, not interleaved), with a 95 %
    /// Wilson interval.
    public struct OnlineRate: Codable, Sendable, Equatable {
        public var requests: Int
        public var conversions: Int
        public var rate: Double
        public var lower: Double
        public var upper: Double
    }

    public var version: String
    public var windowStart: Date
    public var windowEnd: Date
    public var evaluatedAt: Date
    /// Traces in the window.
    public var traces: Int
    /// Traces the estimate used: every shown item logged with its propensity.
    public var usable: Int
    /// Traces left out, by reason (`no propensities` for traces logged before propensities were, `unknown
    /// propensity` for an interleaving draft too costly to compute).
    public var skipped: [String: Int]
    /// IPS and SNIPS estimates of conversions per request, with their intervals (conversions on a shown item).
    public var estimate: ReplayEstimate
    /// The version's own served rate in the window; `nil` when it served no request there.
    public var online: OnlineRate?

    /// Where the report of `version` is kept.
    public static func key(for version: String) -> String { "replays/\(version).json" }
}
