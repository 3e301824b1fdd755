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

    @Test("standard errors are sample SD / sqrt(n) of the per-user values (numpy reference)")
    func standardErrors() throws {
        let metrics = RankingMetrics.aggregate(
            ranks: [1, 3, 20], topK: [[0, 1], [1, 2], [2, 3]], k: 10, catalogSize: 8)
        // numpy: np.array(v).std(ddof=1) / np.sqrt(3) for HR [1, 1, 0], NDCG [1, .5, 0], MRR [1, 1/3, 0].
        #expect(abs(try #require(metrics.hitRateStandardError) - 1.0 / 3) < 1e-12)
        #expect(abs(try #require(metrics.ndcgStandardError) - 0.2886751345948129) < 1e-12)
        #expect(abs(try #require(metrics.mrrStandardError) - 0.2939723678960657) < 1e-12)
        let single = RankingMetrics.aggregate(ranks: [1], topK: [[0]], k: 10, catalogSize: 8)
        #expect(single.ndcgStandardError == nil, "one user has no sample SD")
    }

    @Test("metrics written before standard errors existed still decode")
    func oldJSONDecodes() throws {
        let old = Data(#"{"users":3,"hitRate":0.5,"ndcg":0.25,"mrr":0.2,"coverage":0.1}"#.utf8)
        let metrics = try JSONDecoder().decode(RankingMetrics.self, from: old)
        #expect(metrics == RankingMetrics(users: 3, hitRate: 0.5, ndcg: 0.25, mrr: 0.2, coverage: 0.1))
    }

    @Test("paired difference, its SE and 95 % CI match numpy")
    func pairedComparison() throws {
        let candidate = [1, 0.5, 0, 0.6309297535714575, 0.3868528072345416, 0, 1, 0]
        let baseline = [0.5, 0.5, 0.3154648767857287, 0, 0.43067655807339306, 0, 1, 0.6309297535714575]
        let comparison = try PairedComparison(candidate: candidate, baseline: baseline, baselineVersion: "v0.1.0")
        // numpy: d = c - b; d.mean(), d.std(ddof=1) / sqrt(8), mean -/+ 1.959963984540054 * se.
        #expect(comparison.users == 8)
        #expect(abs(comparison.meanDifference - 0.017588921546927483) < 1e-12)
        #expect(abs(comparison.standardError - 0.14299777447175716) < 1e-12)
        #expect(abs(comparison.lower95 - -0.2626815662870977) < 1e-12)
        #expect(abs(comparison.upper95 - 0.2978594093809527) < 1e-12)
        #expect(abs(comparison.candidateNdcg - comparison.baselineNdcg - comparison.meanDifference) < 1e-12)
        #expect(!comparison.refuses(maxRelativeDrop: 0.05))
        #expect(throws: RecommenderError.self) { try PairedComparison(candidate: [1], baseline: []) }
    }

    @Test("the gate refuses only when the whole interval lies below the allowed drop")
    func gateRule() throws {
        // 400 users, candidate 0.1 worse on every other user: difference -0.05, SE ≈ 0.0025.
        let baseline = [Double](repeating: 0.5, count: 400)
        let candidate = (0..<400).map { $0.isMultiple(of: 2) ? 0.4 : 0.5 }
        let comparison = try PairedComparison(candidate: candidate, baseline: baseline)
        #expect(comparison.refuses(maxRelativeDrop: 0.05))  // allowed drop 0.025, CI upper ≈ -0.045
        #expect(!comparison.refuses(maxRelativeDrop: 0.1))  // allowed drop 0.05: the interval reaches it
        let same = try PairedComparison(candidate: baseline, baseline: baseline)
        #expect(same.meanDifference == 0 && same.standardError == 0 && !same.refuses(maxRelativeDrop: 0))
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
