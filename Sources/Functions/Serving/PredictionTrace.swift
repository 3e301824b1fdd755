import Experiments
import Foundation
import FunctionRuntime
import Recommender

/// The provenance of one prediction, as `GET /traces/{requestId}` returns it and `traces/…` segments store it.
public struct PredictionTrace: Codable, Sendable, Equatable {
    public var requestId: String
    public var userId: String
    public var experimentId: String
    public var variant: String
    public var modelVersion: String
    public var deploymentGeneration: Int
    public var dataSnapshotId: String
    public var pipelineGitSha: String
    public var containerImageDigest: String
    public var artifactUri: String
    public var latencyMs: Double
    public var recommendations: [Item]
    public var fallback: Bool
    public var createdAt: Date
    /// Under interleaving: the draft's first pick and both versions (the lineage fields above are the control's).
    public var interleaving: InterleavingDraft?
    /// How the shown list was chosen (``Policy``), so logged traffic can evaluate other models off-policy; absent in
    /// traces written before propensities were logged.
    public var policy: Policy?
    /// How many items the policy chose from: the catalog the model ranked (deterministic), the exploration's
    /// candidate set (ε-greedy), or the union of both rankers' lists (interleaving).
    public var candidateCount: Int?
    /// The 1-based position the exploration slot changed, when it did.
    public var exploredPosition: Int?

    /// The serving policies, by how they randomise the list.
    public enum Policy: String, Codable, Sendable {
        /// One model's ranking, shown as ranked: every propensity is 1.
        case deterministic
        /// One model's ranking with an ε-greedy exploration slot (``ExplorationSlot``).
        case epsilonGreedy = "epsilon-greedy"
        /// A team draft of two rankings (``TeamDraft``), randomised by its coins.
        case interleaving
    }

    /// One recommended item: its id, score, 1-based position, the probability with which the policy showed it
    /// there, and, under interleaving, the arm that placed it.
    public struct Item: Codable, Sendable, Equatable {
        public var itemId: String
        public var score: Float
        public var arm: Arm?
        /// The 1-based position shown (traces only).
        public var position: Int?
        /// P(this item at this position | the rider, the policy): 1 for a deterministic ranker; `nil` in old traces
        /// and when an interleaving draft was too costly to compute it for.
        public var propensity: Double?

        public init(itemId: String, score: Float, arm: Arm? = nil, position: Int? = nil, propensity: Double? = nil) {
            self.itemId = itemId
            self.score = score
            self.arm = arm
            self.position = position
            self.propensity = propensity
        }
    }
}

/// How an interleaved list was drafted: which team picked first, and the two versions that drafted it.
public struct InterleavingDraft: Codable, Sendable, Equatable {
    public var firstPick: Arm
    public var controlVersion: String
    public var treatmentVersion: String
}

extension PredictionTrace {
    /// The trace as one line of JSON with sorted keys, as `JSONCoding.encoder` writes it, built by hand because
    /// it is written on every request (see ``JSONText``).
    var jsonLine: Data {
        var json = JSONText(capacity: 640 + recommendations.count * 40)
        json.raw(#"{"artifactUri":"#)
        json.string(artifactUri)
        if let candidateCount {
            json.raw(#","candidateCount":"#)
            json.number(candidateCount)
        }
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
        if let exploredPosition {
            json.raw(#","exploredPosition":"#)
            json.number(exploredPosition)
        }
        json.raw(#","fallback":"#)
        json.bool(fallback)
        if let interleaving { json.interleaving(interleaving) }
        json.raw(#","latencyMs":"#)
        json.number(latencyMs)
        json.raw(#","modelVersion":"#)
        json.string(modelVersion)
        json.raw(#","pipelineGitSha":"#)
        json.string(pipelineGitSha)
        if let policy {
            json.raw(#","policy":"#)
            json.string(policy.rawValue)
        }
        json.raw(#","recommendations":"#)
        json.recommendations(recommendations, ranked: false)
        json.closeWithRequest(requestId: requestId, userId: userId, variant: variant)
        return json.data
    }
}

extension JSONText {
    /// `,"interleaving":{"controlVersion","firstPick","treatmentVersion"}`.
    mutating func interleaving(_ draft: InterleavingDraft) {
        raw(#","interleaving":{"controlVersion":"#)
        string(draft.controlVersion)
        raw(#","firstPick":"#)
        string(draft.firstPick.rawValue)
        raw(#","treatmentVersion":"#)
        string(draft.treatmentVersion)
        raw("}")
    }

    /// `[{"arm"?,"itemId","position"?,"propensity"?,"rank"?,"score"}, …]`, keys sorted; `rank` (1-based) only in
    /// answers, `position` and `propensity` only in traces (they are for the log, not the rider), `arm` only under
    /// interleaving. With a catalog, a place it knows also carries `category` (when it has one), `lat`, `lon`,
    /// `name`, and `distanceKm` from `position`.
    mutating func recommendations(
        _ items: [PredictionTrace.Item], ranked: Bool, places: PlaceCatalog? = nil, position: GeoPosition? = nil
    ) {
        raw("[")
        for (index, item) in items.enumerated() {
            raw(index == 0 ? "{" : ",{")
            if let arm = item.arm {
                raw(#""arm":"#)
                string(arm.rawValue)
                raw(",")
            }
            if let place = places?[item.itemId] {
                if let category = place.category {
                    raw(#""category":"#)
                    string(category)
                    raw(",")
                }
                if let position {
                    raw(#""distanceKm":"#)
                    number(position.distanceKm(toLat: place.lat, lon: place.lon))
                    raw(",")
                }
                raw(#""itemId":"#)
                string(item.itemId)
                raw(#","lat":"#)
                number(place.lat)
                raw(#","lon":"#)
                number(place.lon)
                raw(#","name":"#)
                string(place.name)
            } else {
                raw(#""itemId":"#)
                string(item.itemId)
            }
            if !ranked, let position = item.position {
                raw(#","position":"#)
                number(position)
            }
            if !ranked, let propensity = item.propensity {
                raw(#","propensity":"#)
                number(propensity)
            }
            if ranked {
                raw(#","rank":"#)
                number(index + 1)
            }
            raw(#","score":"#)
            number(item.score)
            raw("}")
        }
        raw("]")
    }

    /// The keys both the answer and the trace end with, in sorted order, and the closing brace.
    mutating func closeWithRequest(requestId: String, userId: String, variant: String) {
        raw(#","requestId":"#)
        string(requestId)
        raw(#","userId":"#)
        string(userId)
        raw(#","variant":"#)
        string(variant)
        raw("}")
    }
}
