import Foundation
import Recommender

/// A candidate version scoring live requests beside the served model, its answers thrown away: `shadow/<experiment>
/// .json`, one per experiment because it shadows that experiment's variants.
///
/// Kept after it ends (`endedAt`), so the summary of the last shadow stays answerable, and written only with
/// compare-and-swap like a deployment, so every instance converges on the same generation.
public struct ShadowDeployment: Codable, Sendable, Equatable {
    public var experimentId: String
    /// Incremented by every start and end.
    public var generation: Int
    /// The version scoring in the shadow.
    public var version: ModelVersion
    /// `all`, or the one variant whose requests it shadows.
    public var target: String
    /// The share of the target's requests it scores, 0–100 (a hash of the request id decides which).
    public var samplePercent: Double
    public var startedAt: Date
    /// When `DELETE /admin/shadow` ended it; `nil` while it runs.
    public var endedAt: Date?

    /// Whether it still scores requests.
    public var isActive: Bool { endedAt == nil }

    /// Whether a request of `variant` is shadowed: its variant is targeted and `sampleBucket` (uniform in [0, 1),
    /// from the request id) falls in the sample. A 0 % shadow scores nothing; a 100 % one everything.
    func shadows(variant: String, sampleBucket: Double) -> Bool {
        isActive && (target == "all" || target == variant) && sampleBucket * 100 < samplePercent
    }

    /// The key of an experiment's shadow.
    static func key(for experimentId: String) -> String { "shadow/\(experimentId).json" }
}
