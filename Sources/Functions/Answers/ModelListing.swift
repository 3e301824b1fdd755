import Recommender

/// What `GET /admin/models` answers: every registered version, newest first, and the current deployment.
public struct ModelListing: Codable, Sendable, Equatable {
    /// One version: its registry metadata, flattened, plus the variants it serves (`serving`) and its last replay
    /// (`replay`, absent until `rideease eval --replay` ran for it).
    public struct Entry: Codable, Sendable, Equatable {
        public var metadata: ModelMetadata
        public var serving: [String]
        public var replay: ReplayReport?

        init(metadata: ModelMetadata, serving: [String], replay: ReplayReport? = nil) {
            self.metadata = metadata
            self.serving = serving
            self.replay = replay
        }

        public init(from decoder: any Decoder) throws {
            metadata = try ModelMetadata(from: decoder)
            let container = try decoder.container(keyedBy: Key.self)
            serving = try container.decode([String].self, forKey: .serving)
            replay = try container.decodeIfPresent(ReplayReport.self, forKey: .replay)
        }

        public func encode(to encoder: any Encoder) throws {
            try metadata.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(serving, forKey: .serving)
            try container.encodeIfPresent(replay, forKey: .replay)
        }

        enum Key: String, CodingKey { case serving, replay }
    }

    public var models: [Entry]
    public var deployment: Deployment?
}
