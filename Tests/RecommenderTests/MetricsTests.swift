import Foundation
import Testing

@testable import Recommender

@Suite("Ranking metrics")
struct MetricsTests {
    @Test(
        "per-user values at k = 10",
        arguments: [
            (1, 1.0, 1.0, 1.0),
            (2, 1.0, 1 / log2(3.0), 0.5),
            (3, 1.0, 0.5, 1 / 3.0),
            (10, 1.0, 1 / log2(11.0), 0.1),
            (11, 0.0, 0.0, 0.0),
            (500, 0.0, 0.0, 0.0),
        ])
    func perUser(rank: Int, hit: Double, ndcg: Double, mrr: Double) {
        #expect(RankingMetrics.hit(rank: rank, k: 10) == hit)
        #expect(abs(RankingMetrics.ndcg(rank: rank, k: 10) - ndcg) < 1e-12)
        #expect(abs(RankingMetrics.reciprocalRank(rank: rank, k: 10) - mrr) < 1e-12)
    }

    @Test("aggregate averages users and counts distinct recommended items for coverage")
    func aggregate() {
        // Ranks 1, 3, 20 → HR = 2/3; NDCG = (1 + 0.5 + 0) / 3; MRR = (1 + 1/3) / 3.
        let metrics = RankingMetrics.aggregate(
            ranks: [1, 3, 20], topK: [[0, 1], [1, 2], [2, 3]], k: 10, catalogSize: 8)
        #expect(metrics.users == 3)
        #expect(abs(metrics.hitRate - 2.0 / 3) < 1e-12)
        #expect(abs(metrics.ndcg - 0.5) < 1e-12)
        #expect(abs(metrics.mrr - 4.0 / 9) < 1e-12)
        #expect(metrics.coverage == 0.5)  // {0, 1, 2, 3} of 8
    }

    @Test("no users gives zeros, not NaN")
    func empty() {
        let metrics = RankingMetrics.aggregate(ranks: [], topK: [], k: 10, catalogSize: 5)
        #expect(metrics == RankingMetrics(users: 0, hitRate: 0, ndcg: 0, mrr: 0, coverage: 0))
    }

    @Test("a smaller cutoff truncates")
    func cutoff() {
        #expect(RankingMetrics.hit(rank: 4, k: 3) == 0)
        #expect(RankingMetrics.ndcg(rank: 3, k: 3) == 0.5)
    }
}
