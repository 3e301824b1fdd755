import Foundation
import Offload

/// One evaluated user: what was held out, where it ranked, and the top-k the model produced.
public struct EvaluationRow: Sendable, Equatable, Codable {
    /// The user id.
    public var userId: String
    /// The held-out item id.
    public var heldOut: String
    /// The model's top-k item ids, best first.
    public var recommendations: [String]
    /// 1-based rank of the held-out item among all items not in the user's training data (score ties broken
    /// by ``StableTieBreak``, see ``OfflineEvaluator``).
    public var rank: Int
}

/// The result of evaluating one model on one held-out set.
public struct EvaluationReport: Sendable, Equatable, Codable {
    /// Cutoff of every metric.
    public var k: Int
    /// Catalog size: the coverage denominator (each user ranks it minus their training items).
    public var catalogSize: Int
    /// Users with a held-out item that were evaluated (the sample size when ``sampledFromUsers`` is set).
    public var evaluatedUsers: Int
    /// Users skipped for having too few distinct items.
    public var skippedUsers: Int
    /// Users (of all with a hold-out) whose held-out item was chosen among interactions with the same timestamp.
    public var tiedHoldOutUsers: Int = 0
    /// When set, the metrics are from a seeded sample of ``evaluatedUsers`` users out of this many with a hold-out;
    /// their standard errors are the sampling error of that sample.
    public var sampledFromUsers: Int?
    /// Metrics over all evaluated users.
    public var overall: RankingMetrics
    /// Metrics per group: `activity<50`, `activity>=50` (training interactions), `city=…`, `segment=…`.
    public var subpopulations: [String: RankingMetrics]
    /// Per-user rows (for ``EvaluationExport``); not part of the JSON form, which goes into metadata.
    public var rows: [EvaluationRow] = []

    private enum CodingKeys: String, CodingKey {
        case k, catalogSize, evaluatedUsers, skippedUsers, tiedHoldOutUsers, sampledFromUsers, overall,
            subpopulations
    }
}

/// Full-ranking leave-one-out evaluation: each user's held-out item is ranked against every catalog item
/// the user has not interacted with in training (no sampled negatives).
///
/// Score ties are broken by ``StableTieBreak`` of (user, item), like hold-out ties, in both the rank and the
/// top-k lists, so neither depends on id spelling (a model with many equal scores, such as popularity, would
/// otherwise rank the held-out item by its name among its equals), and the exported lists reproduce the
/// metrics exactly. Serving orders ties by item id instead; the two differ only among exactly equal scores.
///
/// Users are evaluated in parallel chunks on `Offload.cpu` (one thread per core); each user's result lands in its
/// own slot, so the report equals the serial one exactly. Above ``sampleLimit`` users (when set), a seeded sample chosen by a
/// hash of the user id is evaluated instead, and the report says so.
public enum OfflineEvaluator {
    /// Users with fewer training interactions than this form the `activity<…` group.
    public static let activityThreshold = 50

    /// Evaluates `model` (trained on the split's matching training matrix) on `heldOut`.
    /// - Parameters:
    ///   - tiedHoldOutUsers: how many of `heldOut` were chosen among tied timestamps (reported as is).
    ///   - sampleLimit: evaluate at most this many users, a seeded sample (nil: all).
    ///   - parallel: spread users over all cores (false: one thread; the results are identical).
    public static func evaluate(
        _ model: some RecommendationModel,
        heldOut allHeldOut: [LeaveOneOutSplit.HeldOut],
        skippedUsers: Int,
        tiedHoldOutUsers: Int = 0,
        k: Int = 10,
        sampleLimit: Int? = nil,
        parallel: Bool = true
    ) -> EvaluationReport {
        let heldOut = sample(allHeldOut, users: model.users, limit: sampleLimit)
        let catalogSize = model.items.count
        let itemHashes = model.items.ids.map(StableTieBreak.idHash)
        var ranks = [Int](repeating: 0, count: heldOut.count)
        var lists = [[Int]](repeating: [], count: heldOut.count)
        let chunkSize = 64
        let chunks = (heldOut.count + chunkSize - 1) / chunkSize
        ranks.withUnsafeMutableBufferPointer { rankSlots in
            lists.withUnsafeMutableBufferPointer { listSlots in
                // Each chunk writes only its own positions: no locks, and the same values as a serial loop.
                // That disjointness is what makes sharing the two buffers across threads safe.
                nonisolated(unsafe) let rankSlots = rankSlots
                nonisolated(unsafe) let listSlots = listSlots
                let work: @Sendable (Int) -> Void = { chunk in
                    var scratch = [Float](repeating: 0, count: catalogSize)
                    for position in (chunk * chunkSize)..<min(heldOut.count, (chunk + 1) * chunkSize) {
                        let pair = heldOut[position]
                        let seen = model.seenItems(ofUser: pair.user)
                        let userHash = StableTieBreak.idHash(model.users[pair.user])
                        scratch.withUnsafeMutableBufferPointer { buffer in
                            model.scores(forUser: pair.user, into: buffer)
                            let scores = UnsafeBufferPointer(buffer)
                            rankSlots[position] = rank(
                                of: pair.item, in: scores, excluding: seen, userHash: userHash,
                                itemHashes: itemHashes)
                            listSlots[position] = top(
                                k, in: scores, excluding: seen, userHash: userHash, itemHashes: itemHashes)
                        }
                    }
                }
                if parallel && chunks > 1 {
                    Offload.cpu.forEach(chunks: chunks, workers: Offload.cpu.threadCount, work)
                } else {
                    for chunk in 0..<chunks { work(chunk) }
                }
            }
        }
        var rows: [EvaluationRow] = []
        rows.reserveCapacity(heldOut.count)
        var groups: [String: [Int]] = [:]
        for (position, pair) in heldOut.enumerated() {
            rows.append(
                EvaluationRow(
                    userId: model.users[pair.user], heldOut: model.items[pair.item],
                    recommendations: lists[position].map { model.items[$0] }, rank: ranks[position]))
            let activity =
                model.seenItems(ofUser: pair.user).count < activityThreshold
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
            tiedHoldOutUsers: tiedHoldOutUsers,
            sampledFromUsers: heldOut.count < allHeldOut.count ? allHeldOut.count : nil,
            overall: RankingMetrics.aggregate(ranks: ranks, topK: lists, k: k, catalogSize: catalogSize),
            subpopulations: subpopulations, rows: rows)
    }

    /// Evaluates on the split's test items; `model` must be trained on `split.trainAndValidation`.
    public static func evaluateTest(
        _ model: some RecommendationModel, split: LeaveOneOutSplit, k: Int = 10, sampleLimit: Int? = nil
    )
        -> EvaluationReport
    {
        evaluate(
            model, heldOut: split.test, skippedUsers: split.skippedUsers, tiedHoldOutUsers: split.tiedTestUsers,
            k: k, sampleLimit: sampleLimit)
    }

    /// At most `limit` held-out pairs: the users with the smallest seeded hash of their id, in the original
    /// order. The choice depends only on the user ids, so two models evaluated on one split see the same users.
    static func sample(
        _ heldOut: [LeaveOneOutSplit.HeldOut], users: IdIndex, limit: Int?
    ) -> [LeaveOneOutSplit.HeldOut] {
        guard let limit, heldOut.count > limit else { return heldOut }
        let keyed = heldOut.indices.map {
            (key: StableTieBreak.key(userHash: StableTieBreak.idHash(users[heldOut[$0].user]), itemHash: 0), at: $0)
        }
        let chosen = keyed.sorted { ($0.key, $0.at) < ($1.key, $1.at) }.prefix(max(0, limit)).map(\.at).sorted()
        return chosen.map { heldOut[$0] }
    }

    /// The best `k` items not in `excluded`, ordered like ``rank(of:in:excluding:userHash:itemHashes:)``: by score,
    /// and among equal scores by the ``StableTieBreak`` key. The heap keeps the k best by (score, index); only
    /// items tied with the k-th score can change places, so they are gathered and re-chosen by key.
    static func top(
        _ k: Int,
        in scores: UnsafeBufferPointer<Float>,
        excluding excluded: some Collection<Int32>,
        userHash: UInt64,
        itemHashes: [UInt64]
    ) -> [Int] {
        let best = TopK.select(scores, k: k, excluding: excluded)
        guard let threshold = best.last?.score else { return [] }
        func key(_ index: Int) -> UInt64 { StableTieBreak.key(userHash: userHash, itemHash: itemHashes[index]) }
        var chosen = best.filter { $0.score > threshold }
        var tied: [ScoredIndex] = []
        forEachItem(scores.count, excluding: excluded) { index in
            let score = TopK.sanitized(scores[index])
            if score == threshold { tied.append(ScoredIndex(index: index, score: score)) }
        }
        tied.sort { key($0.index) < key($1.index) }
        chosen += tied.prefix(best.count - chosen.count)
        return chosen.sorted { $0.score > $1.score || ($0.score == $1.score && key($0.index) < key($1.index)) }
            .map(\.index)
    }

    /// 1-based rank of `target` among the items not in `excluded` (ascending): items scoring higher come first,
    /// and among equal scores the ``StableTieBreak`` key of (user, item) decides. NaN ranks below every number.
    static func rank(
        of target: Int,
        in scores: UnsafeBufferPointer<Float>,
        excluding excluded: some Collection<Int32>,
        userHash: UInt64,
        itemHashes: [UInt64]
    ) -> Int {
        let targetScore = TopK.sanitized(scores[target])
        var targetKey: UInt64?
        var better = 0
        forEachItem(scores.count, excluding: excluded) { index in
            guard index != target else { return }
            let score = TopK.sanitized(scores[index])
            if score > targetScore {
                better += 1
            } else if score == targetScore {
                // Keys are computed only for ties, which are rare for learned models.
                let key = targetKey ?? StableTieBreak.key(userHash: userHash, itemHash: itemHashes[target])
                targetKey = key
                if StableTieBreak.key(userHash: userHash, itemHash: itemHashes[index]) < key { better += 1 }
            }
        }
        return better + 1
    }

    /// Calls `body` with every item index below `count` that `excluded` (ascending, as a user's seen items are)
    /// does not hold: one merge-like walk, no set lookups.
    @inline(__always)
    private static func forEachItem(
        _ count: Int, excluding excluded: some Collection<Int32>, _ body: (Int) -> Void
    ) {
        var skip = excluded.makeIterator()
        var nextSkip = skip.next().map(Int.init)
        for index in 0..<count {
            while let current = nextSkip, current < index { nextSkip = skip.next().map(Int.init) }
            if nextSkip == index { continue }
            body(index)
        }
    }
}
