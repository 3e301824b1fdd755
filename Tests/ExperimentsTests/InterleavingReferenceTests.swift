import Experiments
import TestRequirements
import Testing

/// The sign test against scipy.stats.binomtest and the Beta-mixture Λ against scipy.special.betaln
/// (`Reference/experiments-interleaving-reference.py`).
@Suite("Interleaving statistics against scipy", .requires(.pythonStatistics))
struct InterleavingReferenceTests {
    struct Reference: Decodable {
        struct SignTestRow: Decodable {
            var wins, losses, ties: Int
            var pValue: Double
            /// scipy's definition evaluated exactly (integers, or 40-digit decimals for n in the millions).
            var exact: Double
        }
        struct MixtureRow: Decodable { var wins, losses: Int, prior, logLambda: Double }
        var signTests: [SignTestRow]
        var mixture: [MixtureRow]
    }

    static let reference = Result {
        try PythonReference.load(
            Reference.self, script: "experiments-interleaving-reference.py", requirement: .pythonStatistics)
    }

    /// Relative 1e-12 to scipy and to the exact value; below 1e-300 (where subnormals carry fewer digits) an
    /// absolute 1e-300. scipy itself (Boost's incomplete beta) is up to 5e-12 from the exact value in far tails
    /// of huge n; a row where scipy is that far off must match the exact value instead, and is counted.
    @Test func signTestMatchesScipyBinomtest() throws {
        let rows = try Self.reference.get().signTests
        #expect(rows.count > 500)
        #expect(rows.contains { $0.wins + $0.losses == 100_000 && $0.wins == 0 })
        #expect(rows.contains { $0.losses == 0 && $0.wins > 0 })
        #expect(rows.contains { $0.wins + $0.losses == 40_000_000 && $0.pValue == 1 && $0.wins != $0.losses })
        func close(_ a: Double, _ b: Double) -> Bool { isClose(a, b, relative: 1e-12, absolute: 1e-300) }
        var mismatches: [String] = []
        var scipyOff = 0
        var worst = (scipy: 0.0, exact: 0.0)
        for row in rows {
            let swift = try #require(SignTest.pValue(wins: row.wins, losses: row.losses).value)
            if !close(swift, row.exact) || !(close(swift, row.pValue) || !close(row.pValue, row.exact)) {
                mismatches.append("\(row.wins)/\(row.losses): swift \(swift) scipy \(row.pValue) exact \(row.exact)")
            }
            if !close(row.pValue, row.exact) { scipyOff += 1 }
            if row.pValue > 1e-300 { worst.scipy = max(worst.scipy, abs(swift - row.pValue) / row.pValue) }
            if row.exact > 1e-300 { worst.exact = max(worst.exact, abs(swift - row.exact) / row.exact) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(8))")
        #expect(scipyOff <= 2, "scipy is more than 1e-12 from the exact value in \(scipyOff) rows")
        print(
            "sign test: \(rows.count) cases; worst relative difference to the exact value \(worst.exact), to scipy "
                + "\(worst.scipy) (scipy itself > 1e-12 off the exact value in \(scipyOff) rows)")
    }

    @Test func decisionReportsTheSignTestWithTiesDropped() throws {
        let window = try AnalysisWindow(hours: 24)
        for row in try Self.reference.get().signTests where row.wins + row.losses <= 1000 {
            let counts = try InterleavingCounts(
                exposedRiders: 2000, riders: row.wins + row.losses + row.ties, wins: row.wins, losses: row.losses,
                ties: row.ties, firstPicks: FirstPicks(control: 500, treatment: 500))
            let summary = try InterleavingDecision.evaluate(experimentId: "x", window: window, counts: counts)
            let p = try #require(summary.pValue)
            #expect(isClose(p, row.pValue, relative: 1e-12, absolute: 1e-300), "\(row)")
        }
    }

    @Test func mixtureLikelihoodRatioMatchesBetaln() throws {
        for row in try Self.reference.get().mixture {
            let swift = InterleavingAlwaysValidTest.logLikelihoodRatio(
                wins: row.wins, losses: row.losses, prior: row.prior)
            // lgamma of 10⁶ is ~1.3e7, so its rounding alone is ~1e-9 absolute in ln Λ.
            #expect(isClose(swift, row.logLambda, relative: 1e-9, absolute: 1e-8), "\(row): swift \(swift)")
        }
    }
}
