import Experiments
import TestRequirements
import Testing

/// CUPED against statsmodels OLS (`Reference/experiments-cuped-reference.py`) to 1e-9 relative.
@Suite("CUPED against statsmodels OLS", .requires(.pythonStatistics))
struct CupedReferenceTests {
    struct Reference: Decodable {
        struct Arm: Decodable { var x, y: [Double] }
        struct DataSet: Decodable {
            var name: String
            var control, treatment: Arm
            var theta, adjusted, adjustedSE, raw, rawSE, correlation, varianceReduction: Double
            var usersNeededRaw, usersNeededAdjusted: Int
        }
        var target: Double
        var sets: [DataSet]
    }

    static let reference = Result {
        try PythonReference.load(
            Reference.self, script: "experiments-cuped-reference.py", requirement: .pythonStatistics)
    }

    static func moments(_ arm: Reference.Arm) -> CupedMoments {
        var moments = CupedMoments()
        for (x, y) in zip(arm.x, arm.y) { moments.add(outcome: y, covariate: x, hasHistory: x != 0) }
        return moments
    }

    @Test func thetaAdjustedDifferenceAndStandardErrorsMatchOLS() throws {
        let reference = try Self.reference.get()
        #expect(reference.sets.count >= 30)
        #expect(reference.sets.contains { $0.control.x.count == 20_000 })
        var mismatches: [String] = []
        var worst = 0.0
        for set in reference.sets {
            let result = CupedEstimate.estimate(
                control: Self.moments(set.control), treatment: Self.moments(set.treatment), preWindowDays: 14,
                alpha: 0.05, power: 0.8, targetEffect: reference.target)
            guard let estimate = result.value else {
                mismatches.append("\(set.name): \(result.insufficientDataReason ?? "")")
                continue
            }
            let pairs: [(String, Double, Double)] = [
                ("theta", estimate.theta, set.theta), ("adjusted", estimate.adjusted.estimate, set.adjusted),
                ("adjustedSE", estimate.adjustedStandardError, set.adjustedSE), ("raw", estimate.raw.estimate, set.raw),
                ("rawSE", estimate.rawStandardError, set.rawSE), ("correlation", estimate.correlation, set.correlation),
                ("varianceReduction", estimate.varianceReduction, set.varianceReduction),
            ]
            for (_, swift, python) in pairs where abs(python) > 1e-12 {
                worst = max(worst, abs(swift - python) / abs(python))
            }
            for (label, swift, python) in pairs where !isClose(swift, python, relative: 1e-9, absolute: 1e-12) {
                mismatches.append("\(set.name) \(label): swift \(swift) statsmodels \(python)")
            }
            if estimate.usersNeeded != .init(raw: set.usersNeededRaw, adjusted: set.usersNeededAdjusted) {
                mismatches.append("\(set.name) usersNeeded: \(estimate.usersNeeded)")
            }
            let withoutHistory = (set.control.x + set.treatment.x).filter { $0 == 0 }.count
            #expect(estimate.ridersWithoutHistory == withoutHistory)
            // The interval is the estimate ± 1.96 SE, and z / p follow from the adjusted figures.
            #expect(isClose(estimate.adjusted.upper - estimate.adjusted.estimate, 1.959963984540054 * set.adjustedSE))
            #expect(isClose(estimate.z, set.adjusted / set.adjustedSE, relative: 1e-9, absolute: 1e-12))
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(8))")
        print("CUPED: \(reference.sets.count) data sets, worst relative difference to statsmodels \(worst)")
    }

    @Test func removingRidersGivesTheMomentsOfTheRest() throws {
        for set in try Self.reference.get().sets where set.control.x.count <= 2000 {
            var moments = Self.moments(set.control)
            let kept = set.control.x.count / 2
            for (x, y) in zip(set.control.x, set.control.y).dropFirst(kept) {
                moments.remove(outcome: y, covariate: x, hasHistory: x != 0)
            }
            let rest = Self.moments(
                Reference.Arm(x: Array(set.control.x.prefix(kept)), y: Array(set.control.y.prefix(kept))))
            #expect(moments.count == rest.count && moments.withoutHistory == rest.withoutHistory)
            let scale = Double(set.control.x.count)
            for (a, b) in [
                (moments.meanOutcome, rest.meanOutcome), (moments.meanCovariate, rest.meanCovariate),
                (moments.outcomeDeviations, rest.outcomeDeviations),
                (moments.covariateDeviations, rest.covariateDeviations),
                (moments.crossDeviations, rest.crossDeviations),
            ] {
                #expect(isClose(a, b, relative: 1e-9, absolute: 1e-12 * scale), "\(set.name): \(a) vs \(b)")
            }
        }
    }
}
