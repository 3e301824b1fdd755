/// One evaluated user: what was held out, where it ranked, and the top-k the model produced.
public struct EvaluationRow: Sendable, Equatable, Codable {
    /// The user id.
    public var userId: String
    /// The held-out item id.
    public var heldOut: String
    /// The model's top-k item ids, best first.
    public var recommendations: [String]
    /// 1-based rank of the held-out item among all items not in the user's training data.
    public var rank: Int
}

/// The result of evaluating one model on one held-out set.
public struct EvaluationReport: Sendable, Equatable, Codable {
    /// Cutoff of every metric.
    public var k: Int
    /// Catalog size: the coverage denominator (each user ranks it minus their training items).
    public var catalogSize: Int
    /// Users with a held-out item.
    public var evaluatedUsers: Int
    /// Users skipped for having too few distinct items.
    public var skippedUsers: Int
    /// Metrics over all evaluated users.
    public var overall: RankingMetrics
    /// Metrics per group: `activity<50`, `activity>=50` (training interactions), `city=…`, `segment=…`.
    public var subpopulations: [String: RankingMetrics]
    /// Per-user rows (for ``EvaluationExport``); not part of the JSON form, which goes into metadata.
    public var rows: [EvaluationRow] = []

    private enum CodingKeys: String, CodingKey {
        case k, catalogSize, evaluatedUsers, skippedUsers, overall, subpopulations
    }
}

/// Full-ranking leave-one-out evaluation: each user's held-out item is ranked against every catalog item
/// the user has not interacted with in training (no sampled negatives), ties broken by item id.
public enum OfflineEvaluator {
    /// Users with fewer training interactions than this form the `activity<…` group.
    public static let activityThreshold = 50

    /// Evaluates `model` (trained on the split's matching training matrix) on `heldOut`.
    public static func evaluate(
        _ model: some RecommendationModel,
        heldOut: [LeaveOneOutSplit.HeldOut],
        skippedUsers: Int,
        k: Int = 10
    ) -> EvaluationReport {
        let catalogSize = model.items.count
        var ranks: [Int] = []
        var lists: [[Int]] = []
        var rows: [EvaluationRow] = []
        var groups: [String: [Int]] = [:]
        var scratch = [Float](repeating: 0, count: catalogSize)
        for (position, pair) in heldOut.enumerated() {
            let seen = model.seenItems(ofUser: pair.user)
            let (rank, top) = scratch.withUnsafeMutableBufferPointer { buffer in
                model.scores(forUser: pair.user, into: buffer)
                let scores = UnsafeBufferPointer(buffer)
                return (
                    TopK.rank(of: pair.item, in: scores, excluding: seen),
                    TopK.select(scores, k: k, excluding: seen).map(\.index)
                )
            }
            ranks.append(rank)
            lists.append(top)
            rows.append(
                EvaluationRow(
                    userId: model.users[pair.user], heldOut: model.items[pair.item],
                    recommendations: top.map { model.items[$0] }, rank: rank))
            let activity =
                seen.count < activityThreshold
                ? "activity<\(activityThreshold)"
                : "activity>=\(activityThreshold)"
            groups[activity, default: []].append(position)
            if let city = pair.city { groups["city=\(city)", default: []].append(position) }
            if let segment = pair.segment { groups["segment=\(segment)", default: []].append(position) }
        }
        let subpopulations = groups.mapValues { members in
            RankingMetrics.aggregate(
                ranks: members.map { ranks[$0] }, topK: members.map { lists[$0] },
                k: k, catalogSize: catalogSize)
        }
        return EvaluationReport(
            k: k, catalogSize: catalogSize, evaluatedUsers: heldOut.count, skippedUsers: skippedUsers,
            overall: RankingMetrics.aggregate(ranks: ranks, topK: lists, k: k, catalogSize: catalogSize),
            subpopulations: subpopulations, rows: rows)
    }

    /// Evaluates on the split's test items; `model` must be trained on `split.trainAndValidation`.
    public static func evaluateTest(
        _ model: some RecommendationModel, split: LeaveOneOutSplit, k: Int = 10
    )
        -> EvaluationReport
    {
        evaluate(model, heldOut: split.test, skippedUsers: split.skippedUsers, k: k)
    }
}
