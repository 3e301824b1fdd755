import Experiments
import TestRequirements
import Testing

@Suite("Ranking agreement")
struct RankingAgreementTests {
    static let letters = (0..<26).map { String(UnicodeScalar(UInt8(97 + $0))) }

    @Test func identicalListsScoreExactlyOneDisjointExactlyZero() {
        for length in 1...26 {
            let list = Array(Self.letters.prefix(length))
            for p in [0.1, 0.5, 0.9, 0.98] {
                #expect(RankingAgreement.rankBiasedOverlap(list, list, p: p) == 1, "length \(length) p \(p)")
                let other = list.map { $0 + "'" }
                #expect(RankingAgreement.rankBiasedOverlap(list, other, p: p) == 0)
            }
            #expect(RankingAgreement.jaccard(list, list, k: 10) == 1)
            #expect(RankingAgreement.jaccard(list, list.map { $0 + "'" }, k: 10) == 0)
        }
    }

    @Test func emptyLists() {
        #expect(RankingAgreement.rankBiasedOverlap([], []) == 1)
        #expect(RankingAgreement.rankBiasedOverlap(["a"], []) == 0)
        #expect(RankingAgreement.rankBiasedOverlap([], ["a", "b"]) == 0)
        #expect(RankingAgreement.jaccard([], [], k: 5) == 1)
        #expect(RankingAgreement.jaccard(["a"], [], k: 5) == 0)
        // k <= 0: both top-k sets are empty.
        #expect(RankingAgreement.jaccard(["a"], ["b"], k: 0) == 1)
    }

    /// Worked by hand from the formula (p = 0.5, even lengths): S = a b, T = b a.
    /// X_1 = 0, X_2 = 2: (1−p)/p · (0/1·p + 2/2·p²) + X_2/2 · p² = 1 · 0.25 + 0.25 = 0.5.
    /// Uneven (p = 0.5): S = a (s = 1), L = b a (l = 2): X_1 = 0, X_2 = 1, X_s = 0:
    /// 1 · (0·0.5 + 1/2·0.25 + 0) + ((1 − 0)/2 + 0/1)·0.25 = 0.125 + 0.125 = 0.25.
    @Test func smallCasesWorkedByHand() {
        #expect(abs(RankingAgreement.rankBiasedOverlap(["a", "b"], ["b", "a"], p: 0.5) - 0.5) < 1e-15)
        #expect(abs(RankingAgreement.rankBiasedOverlap(["a"], ["b", "a"], p: 0.5) - 0.25) < 1e-15)
        // Symmetric in its arguments.
        #expect(
            RankingAgreement.rankBiasedOverlap(["b", "a"], ["a"], p: 0.5)
                == RankingAgreement.rankBiasedOverlap(["a"], ["b", "a"], p: 0.5))
        // Top-3 sets {a, b, c} and {a, c, d}: 2 shared of 4.
        #expect(RankingAgreement.jaccard(["a", "b", "c", "x"], ["c", "d", "a", "b"], k: 3) == 0.5)
    }

    @Test func aPrefixOfTheLongerListExtrapolatesToFullAgreement() {
        // Every agreement in the uneven-lengths formula is 1: X_d = d up to s, then s/d + s(d−s)/(sd) = 1.
        let long = Array(Self.letters.prefix(12))
        #expect(RankingAgreement.rankBiasedOverlap(Array(long.prefix(4)), long) == 1)
        #expect(RankingAgreement.rankBiasedOverlap(long, Array(long.prefix(1))) == 1)
    }

    @Test func repeatedItemsCountOnce() {
        #expect(
            RankingAgreement.rankBiasedOverlap(["a", "a", "b", "c"], ["a", "c", "b"])
                == RankingAgreement.rankBiasedOverlap(["a", "b", "c"], ["a", "c", "b"]))
        // The first 2 distinct items are {a, b} on both sides.
        #expect(RankingAgreement.jaccard(["a", "a", "b"], ["b", "a"], k: 2) == 1)
    }

    @Test func topWeightedAgreementAtTheTopCountsMore() {
        let base = Array(Self.letters.prefix(10))
        var swappedTop = base
        swappedTop.swapAt(0, 1)
        var swappedBottom = base
        swappedBottom.swapAt(8, 9)
        let top = RankingAgreement.rankBiasedOverlap(base, swappedTop)
        let bottom = RankingAgreement.rankBiasedOverlap(base, swappedBottom)
        #expect(top < bottom && bottom < 1)
        // Jaccard ignores order entirely.
        #expect(RankingAgreement.jaccard(base, swappedTop, k: 10) == 1)
    }
}

/// Rank-biased overlap against the PyPI package `rbo` and Jaccard against Python sets
/// (`Reference/experiments-agreement-reference.py`), to 1e-12 relative (1e-15 absolute near 0).
@Suite("Ranking agreement against the rbo package", .requires(.pythonRbo))
struct RankingAgreementReferenceTests {
    struct Reference: Decodable {
        struct Jaccard: Decodable { var k: Int, value: Double }
        struct Pair: Decodable {
            var a, b: [String]
            var p, rbo, rboDefault: Double
            var jaccard: [Jaccard]
        }
        var pairs: [Pair]
    }

    static let reference = Result {
        try PythonReference.load(
            Reference.self, script: "experiments-agreement-reference.py", requirement: .pythonRbo)
    }

    @Test func rankBiasedOverlapMatchesThePackage() throws {
        let pairs = try Self.reference.get().pairs
        #expect(pairs.count > 400)
        #expect(pairs.contains { $0.a.count != $0.b.count } && pairs.contains { $0.a.count == $0.b.count })
        // Not all trivial: a spread of values strictly between 0 and 1.
        #expect(pairs.filter { $0.rbo > 0.05 && $0.rbo < 0.95 }.count > 100)
        var mismatches: [String] = []
        for pair in pairs {
            let swift = RankingAgreement.rankBiasedOverlap(pair.a, pair.b, p: pair.p)
            // The package clips to [0, 1] only when it is off by more than rounding.
            if !isClose(swift, min(1, pair.rbo), relative: 1e-12) {
                mismatches.append("\(pair.a) \(pair.b) p \(pair.p): swift \(swift) rbo \(pair.rbo)")
            }
            let byDefault = RankingAgreement.rankBiasedOverlap(pair.a, pair.b)
            if !isClose(byDefault, min(1, pair.rboDefault), relative: 1e-12) {
                mismatches.append("\(pair.a) \(pair.b) default p: swift \(byDefault) rbo \(pair.rboDefault)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(5))")
    }

    @Test func jaccardMatchesPythonSets() throws {
        var compared = 0
        for pair in try Self.reference.get().pairs {
            for row in pair.jaccard {
                compared += 1
                #expect(
                    RankingAgreement.jaccard(pair.a, pair.b, k: row.k) == row.value, "\(pair.a) \(pair.b) k \(row.k)")
            }
        }
        #expect(compared > 1000)
    }
}
