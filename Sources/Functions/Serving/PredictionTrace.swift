import Foundation
import Recommender

/// The provenance of one prediction, as `GET /traces/{requestId}` returns it and `traces/…` segments store it.
struct PredictionTrace: Codable, Sendable, Equatable {
    var requestId: String
    var userId: String
    var experimentId: String
    var variant: String
    var modelVersion: String
    var deploymentGeneration: Int
    var dataSnapshotId: String
    var pipelineGitSha: String
    var containerImageDigest: String
    var artifactUri: String
    var latencyMs: Double
    var recommendations: [Recommendation]
    var fallback: Bool
    var createdAt: Date
}
