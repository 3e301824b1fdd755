import Experiments
import Foundation

/// The summary of an experiment of either design, as `GET /experiments/{id}/summary` answers it and a stopped
/// record keeps it. Encodes as the inner summary; decodes by its `design` field.
public enum ExperimentReport: Codable, Sendable, Equatable {
    case ab(ExperimentSummary)
    case interleaving(InterleavingSummary)

    public var decision: Decision {
        switch self {
        case .ab(let summary): summary.decision
        case .interleaving(let summary): summary.decision
        }
    }

    public var reason: String {
        switch self {
        case .ab(let summary): summary.reason
        case .interleaving(let summary): summary.reason
        }
    }

    private enum Key: String, CodingKey { case design }

    public init(from decoder: any Decoder) throws {
        let design = try decoder.container(keyedBy: Key.self).decodeIfPresent(ExperimentDesign.self, forKey: .design)
        switch design ?? .ab {
        case .ab: self = .ab(try ExperimentSummary(from: decoder))
        case .interleaving: self = .interleaving(try InterleavingSummary(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .ab(let summary): try summary.encode(to: encoder)
        case .interleaving(let summary): try summary.encode(to: encoder)
        }
    }
}
