import Recommender

/// What `GET /admin/models` answers: every registered version, newest first, and the current deployment.
public struct ModelListing: Codable, Sendable, Equatable {
    /// One version: its registry metadata, flattened, plus the variants it serves (`serving`).
    public struct Entry: Codable, Sendable, Equatable {
        public var metadata: ModelMetadata
        public var serving: [String]

        init(metadata: ModelMetadata, serving: [String]) {
            self.metadata = metadata
            self.serving = serving
        }

        public init(from decoder: any Decoder) throws {
            metadata = try ModelMetadata(from: decoder)
            serving = try decoder.container(keyedBy: Key.self).decode([String].self, forKey: .serving)
        }

        public func encode(to encoder: any Encoder) throws {
            try metadata.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(serving, forKey: .serving)
        }

        enum Key: String, CodingKey { case serving }
    }

    public var models: [Entry]
    public var deployment: Deployment?
}
