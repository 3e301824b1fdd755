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

extension PredictionTrace {
    /// The trace as one line of JSON with sorted keys, as `JSONCoding.encoder` writes it, built by hand because
    /// it is written on every request (see ``JSONText``).
    var jsonLine: Data {
        var json = JSONText(capacity: 640 + recommendations.count * 40)
        json.raw(#"{"artifactUri":"#)
        json.string(artifactUri)
        json.raw(#","containerImageDigest":"#)
        json.string(containerImageDigest)
        json.raw(#","createdAt":"#)
        json.date(createdAt)
        json.raw(#","dataSnapshotId":"#)
        json.string(dataSnapshotId)
        json.raw(#","deploymentGeneration":"#)
        json.number(deploymentGeneration)
        json.raw(#","experimentId":"#)
        json.string(experimentId)
        json.raw(#","fallback":"#)
        json.bool(fallback)
        json.raw(#","latencyMs":"#)
        json.number(latencyMs)
        json.raw(#","modelVersion":"#)
        json.string(modelVersion)
        json.raw(#","pipelineGitSha":"#)
        json.string(pipelineGitSha)
        json.raw(#","recommendations":["#)
        for (index, item) in recommendations.enumerated() {
            json.raw(index == 0 ? #"{"itemId":"# : #",{"itemId":"#)
            json.string(item.itemId)
            json.raw(#","score":"#)
            json.number(item.score)
            json.raw("}")
        }
        json.raw(#"],"requestId":"#)
        json.string(requestId)
        json.raw(#","userId":"#)
        json.string(userId)
        json.raw(#","variant":"#)
        json.string(variant)
        json.raw("}")
        return json.data
    }
}
