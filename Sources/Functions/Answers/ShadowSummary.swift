import Foundation

/// What `GET /admin/shadow/summary?windowHours=N` answers: how the shadow's lists compared with the served ones
/// over the window, in total, per variant and per rider activity.
public struct ShadowSummary: Codable, Sendable, Equatable {
    /// How one group of shadowed requests went.
    public struct Group: Codable, Sendable, Equatable {
        /// Requests the shadow scored and compared.
        public var scored: Int
        /// Requests whose shadow scoring failed.
        public var errors: Int
        /// Sampled requests skipped because the shadow fell behind.
        public var dropped: Int
        /// errors / (scored + errors); `nil` before any attempt.
        public var errorRate: Double?
        /// Means over the scored requests; `nil` before any.
        public var meanJaccard: Double?
        public var meanRbo: Double?
        /// Share of scored requests whose top item changed.
        public var topItemChangedShare: Double?
        /// Riders scored, and the share of them whose top item changed at least once.
        public var riders: Int
        public var ridersTopItemChangedShare: Double?
        /// Shadow scoring time percentiles, milliseconds (within 2 %).
        public var latencyP50Ms: Double?
        public var latencyP99Ms: Double?
    }

    /// A variant's total and its split by rider activity (`new`, `light`, `heavy`).
    public struct Variant: Codable, Sendable, Equatable {
        public var total: Group
        public var activity: [String: Group]
    }

    public var experimentId: String
    /// The shadow summarised (running or the last one ended); `nil` when the experiment never had one.
    public var shadow: ShadowDeployment?
    public var windowHours: Int
    public var windowStart: Date
    public var windowEnd: Date
    public var total: Group
    public var variants: [String: Variant]
    /// All variants together, by rider activity.
    public var activity: [String: Group]
}
