import Foundation

/// Leave-one-out ranking metrics at a cutoff `k`, averaged over evaluated users, with their standard errors.
///
/// With one held-out item at 1-based rank `r`: HR@k = [r ≤ k]; NDCG@k = 1/log2(r + 1) if r ≤ k (the ideal
/// DCG of a single relevant item is 1); MRR@k = 1/r if r ≤ k. Coverage@k = distinct items appearing in
/// any evaluated user's top-k / catalog size.
///
/// Each mean comes with its standard error over users, `s / √n` with `s` the sample standard deviation
/// (n − 1 denominator) of the per-user values: a difference between two models smaller than about twice the
/// SE is noise. Coverage has none: it is one set-valued figure over all users, not a mean of per-user values.
/// The SEs are optional so that metadata written before they existed still decodes (they are then absent),
/// and are absent for fewer than two users, where a sample SD is undefined.
public struct RankingMetrics: Sendable, Equatable, Codable {
    /// Number of users averaged over.
    public var users: Int
    /// Hit rate at k.
    public var hitRate: Double
    /// Normalised discounted cumulative gain at k.
    public var ndcg: Double
    /// Mean reciprocal rank, truncated at k.
    public var mrr: Double
    /// Catalog coverage at k.
    public var coverage: Double
    /// Standard error of ``hitRate`` over users.
    public var hitRateStandardError: Double?
    /// Standard error of ``ndcg`` over users.
    public var ndcgStandardError: Double?
    /// Standard error of ``mrr`` over users.
    public var mrrStandardError: Double?

    public init(
        users: Int, hitRate: Double, ndcg: Double, mrr: Double, coverage: Double,
        hitRateStandardError: Double? = nil, ndcgStandardError: Double? = nil, mrrStandardError: Double? = nil
    ) {
        self.users = users
        self.hitRate = hitRate
        self.ndcg = ndcg
        self.mrr = mrr
        self.coverage = coverage
        self.hitRateStandardError = hitRateStandardError
        self.ndcgStandardError = ndcgStandardError
        self.mrrStandardError = mrrStandardError
    }

    /// HR@k of one user whose held-out item is at 1-based `rank`.
    public static func hit(rank: Int, k: Int) -> Double { rank <= k ? 1 : 0 }

    /// NDCG@k of one user: `1 / log2(rank + 1)` inside the cutoff.
    public static func ndcg(rank: Int, k: Int) -> Double { rank <= k ? 1 / log2(Double(rank + 1)) : 0 }

    /// Reciprocal rank at k of one user.
    public static func reciprocalRank(rank: Int, k: Int) -> Double { rank <= k ? 1 / Double(rank) : 0 }

    /// Coverage of the given top-k lists over a catalog of `catalogSize` items.
    public static func coverage(of lists: some Sequence<[Int]>, catalogSize: Int) -> Double {
        guard catalogSize > 0 else { return 0 }
        var seen = Set<Int>()
        for list in lists { seen.formUnion(list) }
        return Double(seen.count) / Double(catalogSize)
    }

    /// Mean and standard error of the mean (`s / √n`, sample SD); the SE is nil below two values.
    public static func meanAndStandardError(_ values: [Double]) -> (mean: Double, standardError: Double?) {
        guard !values.isEmpty else { return (0, nil) }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else { return (mean, nil) }
        // Two passes (mean, then squared deviations) stay accurate where Σx² − n·mean² would cancel.
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (squares / (n - 1)).squareRoot() / n.squareRoot())
    }

    /// Averages per-user ranks (`rank` 1-based) and their top-k lists.
    public static func aggregate(ranks: [Int], topK: [[Int]], k: Int, catalogSize: Int) -> RankingMetrics {
        guard !ranks.isEmpty else { return RankingMetrics(users: 0, hitRate: 0, ndcg: 0, mrr: 0, coverage: 0) }
        let hits = meanAndStandardError(ranks.map { hit(rank: $0, k: k) })
        let gains = meanAndStandardError(ranks.map { ndcg(rank: $0, k: k) })
        let reciprocal = meanAndStandardError(ranks.map { reciprocalRank(rank: $0, k: k) })
        return RankingMetrics(
            users: ranks.count,
            hitRate: hits.mean,
            ndcg: gains.mean,
            mrr: reciprocal.mean,
            coverage: coverage(of: topK, catalogSize: catalogSize),
            hitRateStandardError: hits.standardError,
            ndcgStandardError: gains.standardError,
            mrrStandardError: reciprocal.standardError
        )
    }
}
