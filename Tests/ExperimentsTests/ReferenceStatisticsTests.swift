import Experiments
import TestRequirements
import Testing

/// Matches statsmodels/scipy (`Reference/experiments-reference.py`) to 1e-9 relative (1e-15 absolute near 0).
@Suite("Statistics against statsmodels and scipy", .requires(.pythonStatistics))
struct ReferenceStatisticsTests {
    struct Reference: Decodable {
        struct Proportion: Decodable {
            var nC, xC, nT, xT: Int
            var wilsonC, wilsonT: [Double]
            var z, p, logLambda, mde: Double?
            var diff, lift: [Double]?
        }
        struct SRM: Decodable {
            var users: [Int]
            var weights: [Double]
            var chiSquare, pValue: Double
        }
        struct Chi2: Decodable { var df: Int, x, sf: Double }
        struct Normal: Decodable {
            struct PPF: Decodable { var p, x: Double }
            struct SF: Decodable { var x, sf, twoSided: Double }
            var ppf: [PPF]
            var sf: [SF]
        }
        struct SampleSize: Decodable { var baseline, effect, controlShare, treatmentShare, treatmentUsers: Double }
        var proportions: [Proportion]
        var srm: [SRM]
        var chi2: [Chi2]
        var normal: Normal
        var sampleSize: [SampleSize]
    }

    /// Loaded once per test run; each test reads its own part.
    static let reference = Result {
        try PythonReference.load(
            Reference.self, script: "experiments-reference.py", requirement: .pythonStatistics)
    }

    private final class Failures {
        var lines: [String] = []
        /// Comparisons of two numbers (not of two nils), so a test cannot pass by comparing nothing.
        var compared = 0
        func check(_ label: String, _ swift: Double?, _ reference: Double?) {
            if swift != nil, reference != nil { compared += 1 }
            switch (swift, reference) {
            case (nil, nil): return
            case (let a?, let b?) where isClose(a, b): return
            default:
                lines.append(
                    "\(label): swift \(swift.map { "\($0)" } ?? "nil") vs \(reference.map { "\($0)" } ?? "nil")")
            }
        }
        func check(_ label: String, _ swift: EstimateInterval?, _ reference: [Double]?) {
            check(label + ".estimate", swift?.estimate, reference?[0])
            check(label + ".lower", swift?.lower, reference?[1])
            check(label + ".upper", swift?.upper, reference?[2])
        }
    }

    @Test func proportionsGrid() throws {
        let rows = try Self.reference.get().proportions
        #expect(rows.count > 2000)
        #expect(rows.contains { $0.nC == 1_000_000_000 } && rows.contains { $0.nT == 1 })
        let failures = Failures()
        for row in rows {
            let label = "C \(row.xC)/\(row.nC) T \(row.xT)/\(row.nT)"
            let control = try ConversionCounts(variant: "control", users: row.nC, conversions: row.xC)
            let treatment = try ConversionCounts(variant: "treatment", users: row.nT, conversions: row.xT)
            let wilsonC = WilsonInterval.interval(for: control).value
            let wilsonT = WilsonInterval.interval(for: treatment).value
            failures.check("\(label) wilsonC.lower", wilsonC?.lower, row.wilsonC[0])
            failures.check("\(label) wilsonC.upper", wilsonC?.upper, row.wilsonC[1])
            failures.check("\(label) wilsonT.lower", wilsonT?.lower, row.wilsonT[0])
            failures.check("\(label) wilsonT.upper", wilsonT?.upper, row.wilsonT[1])
            let test = TwoProportionTest(control: control, treatment: treatment)
            failures.check("\(label) z", test.zTest.value?.z, row.z)
            failures.check("\(label) p", test.zTest.value?.pValue, row.p)
            failures.check("\(label) diff", test.difference.value, row.diff)
            failures.check("\(label) lift", test.lift.value, row.lift)
            let always = AlwaysValidTest.compute(control: control, treatment: treatment)
            failures.check("\(label) logLambda", always.value?.logLikelihoodRatio, row.logLambda)
            let mde = try PowerAnalysis.minimumDetectableEffect(control: control, treatment: treatment)
            failures.check("\(label) mde", mde.value?.absolute, row.mde)
        }
        #expect(failures.lines.isEmpty, "\(failures.lines.count) mismatches: \(failures.lines.prefix(8))")
        #expect(failures.compared > 20_000)
        print("proportions grid: \(rows.count) cases, \(failures.compared) numbers compared")
    }

    @Test func sampleRatioMismatchMatchesScipyChisquare() throws {
        let failures = Failures()
        for row in try Self.reference.get().srm {
            let result = SampleRatioMismatch.check(users: row.users, weights: row.weights).value
            failures.check("\(row.users) chi2", result?.chiSquare, row.chiSquare)
            failures.check("\(row.users) p", result?.pValue, row.pValue)
            #expect(result?.detected == (row.pValue < 0.001))
        }
        #expect(failures.lines.isEmpty, "\(failures.lines)")
    }

    @Test func chiSquareSurvivalMatchesScipy() throws {
        let failures = Failures()
        for row in try Self.reference.get().chi2 {
            failures.check(
                "df \(row.df) x \(row.x)", ChiSquareDistribution.survival(row.x, degreesOfFreedom: row.df), row.sf)
        }
        #expect(failures.lines.isEmpty, "\(failures.lines)")
    }

    @Test func normalDistributionMatchesScipy() throws {
        let failures = Failures()
        let normal = try Self.reference.get().normal
        for row in normal.ppf {
            failures.check("ppf(\(row.p))", NormalDistribution.quantile(row.p), row.x)
        }
        for row in normal.sf {
            failures.check("sf(\(row.x))", NormalDistribution.survival(row.x), row.sf)
            failures.check("2sf(\(row.x))", NormalDistribution.twoSidedPValue(row.x), min(1, row.twoSided))
            failures.check("2sf(-\(row.x))", NormalDistribution.twoSidedPValue(-row.x), min(1, row.twoSided))
        }
        #expect(failures.lines.isEmpty, "\(failures.lines)")
    }

    @Test func sampleSizeMatchesStatsmodels() throws {
        let failures = Failures()
        for row in try Self.reference.get().sampleSize {
            let estimate = try PowerAnalysis.usersNeeded(
                baselineRate: row.baseline, effect: row.effect, controlShare: row.controlShare,
                treatmentShare: row.treatmentShare)
            failures.check(
                "\(row.baseline)+\(row.effect) \(row.controlShare)", estimate.value?.treatmentUsers,
                row.treatmentUsers)
        }
        #expect(failures.lines.isEmpty, "\(failures.lines)")
    }
}
