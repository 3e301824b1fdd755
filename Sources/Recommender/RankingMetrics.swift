import Foundation

/// Leave-one-out ranking metrics at a cutoff `k`, averaged over evaluated users.
///
/// With one held-out item at 1-based rank `r`: HR@k = [r ≤ k]; NDCG@k = 1/log2(r + 1) if r ≤ k (the ideal
/// DCG of a single relevant item is 1); MRR@k = 1/r if r ≤ k. Coverage@k = distinct items appearing in
/// any evaluated user's top-k / catalog size.
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

    public init(users: Int, hitRate: Double, ndcg: Double, mrr: Double, coverage: Double) {
        self.users = users
        self.hitRate = hitRate
        self.ndcg = ndcg
        self.mrr = mrr
        self.coverage = coverage
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

    /// Averages per-user ranks (`rank` 1-based) and their top-k lists.
    public static func aggregate(ranks: [Int], topK: [[Int]], k: Int, catalogSize: Int) -> RankingMetrics {
        let count = ranks.count
        guard count > 0 else { return RankingMetrics(users: 0, hitRate: 0, ndcg: 0, mrr: 0, coverage: 0) }
        let n = Double(count)
        return RankingMetrics(
            users: count,
            hitRate: ranks.reduce(0) { $0 + hit(rank: $1, k: k) } / n,
            ndcg: ranks.reduce(0) { $0 + ndcg(rank: $1, k: k) } / n,
            mrr: ranks.reduce(0) { $0 + reciprocalRank(rank: $1, k: k) } / n,
            coverage: coverage(of: topK, catalogSize: catalogSize)
        )
    }
}
