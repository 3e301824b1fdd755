import Foundation
import Recommender

/// What `GET /admin/models` answers: every registered version, newest first, and the current deployment.
public struct ModelListing: Codable, Sendable, Equatable {
    /// One version: its registry metadata, flattened, plus the variants it serves (`serving`), its last replay
    /// (`replay`, absent until `rideease eval --replay` ran for it) and, for a version whose artifact was deleted,
    /// what replaced it and why (`retired`).
    public struct Entry: Codable, Sendable, Equatable {
        public var metadata: ModelMetadata
        public var serving: [String]
        public var replay: ReplayReport?
        public var retired: Retired?

        init(metadata: ModelMetadata, serving: [String], replay: ReplayReport? = nil, retired: Retired? = nil) {
            self.metadata = metadata
            self.serving = serving
            self.replay = replay
            self.retired = retired
        }

        public init(from decoder: any Decoder) throws {
            metadata = try ModelMetadata(from: decoder)
            let container = try decoder.container(keyedBy: Key.self)
            serving = try container.decode([String].self, forKey: .serving)
            replay = try container.decodeIfPresent(ReplayReport.self, forKey: .replay)
            retired = try container.decodeIfPresent(Retired.self, forKey: .retired)
        }

        public func encode(to encoder: any Encoder) throws {
            try metadata.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(serving, forKey: .serving)
            try container.encodeIfPresent(replay, forKey: .replay)
            try container.encodeIfPresent(retired, forKey: .retired)
        }

        enum Key: String, CodingKey { case serving, replay, retired }
    }

    /// A retired version's successor and the reason (a rider erasure): listed, never served.
    public struct Retired: Codable, Sendable, Equatable {
        public var supersededBy: ModelVersion
        public var reason: String
        public var retiredAt: Date

        init(_ retirement: ModelRetirement) {
            supersededBy = retirement.supersededBy
            reason = retirement.reason
            retiredAt = retirement.retiredAt
        }
    }

    public var models: [Entry]
    public var deployment: Deployment?
}
