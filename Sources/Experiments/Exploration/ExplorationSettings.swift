/// How much an experiment explores: the share of requests that get one randomised slot, and which items may fill it.
///
/// Off by default (an experiment without settings serves the ranker's list as is). Exploration costs riders a
/// slightly worse list on a share `epsilon` of requests; what it buys is a logged propensity for lists the ranker
/// would never show, which off-policy replay (`ReplayEstimator`) needs to evaluate another model on past traffic.
/// The bounds keep that cost and the variance of replay in check: above ε = 0.5 most riders would see an explored
/// list; a candidate set of C items gives each unshown candidate a propensity of ε/(k(C−1)) at a position, so
/// C = 200 at k = 10 and ε = 0.1 already weighs a match by 20,000.
public struct ExplorationSettings: Codable, Sendable, Equatable {
    /// The range of ``candidates``.
    public static let candidateRange = 2...200
    /// ``candidates`` when a client leaves it out.
    public static let defaultCandidates = 20

    /// Probability a request gets an exploration slot, 0 < epsilon <= 0.5.
    public var epsilon: Double
    /// Size of the candidate set: the ranker's top-`candidates`, 2...200, default 20.
    public var candidates: Int

    /// Settings as given; ``problem`` says whether they are usable.
    public init(epsilon: Double, candidates: Int = ExplorationSettings.defaultCandidates) {
        self.epsilon = epsilon
        self.candidates = candidates
    }

    /// Why these settings are invalid (names the field and the range), or nil.
    public var problem: String? {
        if !(epsilon.isFinite && epsilon > 0 && epsilon <= 0.5) {
            return "exploration.epsilon must be greater than 0 and at most 0.5, got \(epsilon)"
        }
        if !Self.candidateRange.contains(candidates) {
            return "exploration.candidates must be between \(Self.candidateRange.lowerBound) and "
                + "\(Self.candidateRange.upperBound), got \(candidates)"
        }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case epsilon, candidates
    }

    /// Decodes `{"epsilon": 0.1}` with the default candidate count; values are not validated here (see ``problem``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        epsilon = try container.decode(Double.self, forKey: .epsilon)
        candidates = try container.decodeIfPresent(Int.self, forKey: .candidates) ?? Self.defaultCandidates
    }
}
