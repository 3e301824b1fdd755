import Experiments
import Foundation
import Testing

@Suite("CUPED")
struct CupedTests {
    static func moments(_ riders: [(y: Double, x: Double)]) -> CupedMoments {
        var moments = CupedMoments()
        for rider in riders { moments.add(outcome: rider.y, covariate: rider.x, hasHistory: rider.x != 0) }
        return moments
    }

    static func estimate(
        _ control: CupedMoments, _ treatment: CupedMoments, target: Double? = nil
    )
        -> StatisticResult<CupedEstimate>
    {
        CupedEstimate.estimate(
            control: control, treatment: treatment, preWindowDays: 14, alpha: 0.05, power: 0.8, targetEffect: target)
    }

    @Test func momentsKeepTheRawSumsAndCountRidersWithoutHistory() {
        var moments = Self.moments([(1, 2), (0, 0), (1, 3), (0, 0)])
        #expect(moments.count == 4 && moments.withoutHistory == 2)
        #expect(moments.sumOutcome == 2 && moments.sumCovariate == 5)
        #expect(moments.sumOutcomeSquares == 2 && moments.sumCovariateSquares == 13 && moments.sumCrossProducts == 5)
        // A rider who converts later: out with y = 0, in again with y = 1.
        moments.remove(outcome: 0, covariate: 0, hasHistory: false)
        moments.add(outcome: 1, covariate: 0, hasHistory: false)
        #expect(moments.count == 4 && moments.withoutHistory == 2 && moments.sumOutcome == 3)
        for rider in [(1.0, 2.0), (1, 0), (1, 3), (0, 0)] {
            moments.remove(outcome: rider.0, covariate: rider.1, hasHistory: rider.1 != 0)
        }
        #expect(moments == CupedMoments())
    }

    @Test func tooFewRidersOrNoOutcomeSpreadIsInsufficient() {
        let two = Self.moments([(1, 1), (0, 0)])
        #expect(Self.estimate(Self.moments([(1, 1)]), two).value == nil)
        #expect(Self.estimate(two, CupedMoments()).insufficientDataReason?.contains("at least 2 riders") == true)
        let flat = Self.moments([(0, 1), (0, 0), (0, 2)])
        #expect(Self.estimate(flat, flat).insufficientDataReason?.contains("does not vary") == true)
        // y = x exactly: the adjusted difference has no variance left.
        let exact = Self.moments([(1, 1), (0, 0), (1, 1)])
        #expect(Self.estimate(exact, Self.moments([(0, 0), (1, 1), (0, 0)])).insufficientDataReason != nil)
        var infinite = two
        infinite.add(outcome: .infinity, covariate: 0)
        #expect(Self.estimate(infinite, two).value == nil)
        #expect(
            CupedEstimate.estimate(
                control: two, treatment: two, preWindowDays: 14, alpha: 0, power: 0.8, targetEffect: nil
            ).value == nil)
    }

    @Test func withoutCovariateSpreadThetaIsZeroAndNothingChanges() throws {
        let control = Self.moments([(1, 0), (0, 0), (0, 0), (1, 0)])
        let treatment = Self.moments([(1, 0), (1, 0), (0, 0)])
        let estimate = try #require(Self.estimate(control, treatment, target: 0.1).value)
        #expect(estimate.theta == 0 && estimate.correlation == 0 && estimate.varianceReduction == 0)
        #expect(estimate.adjusted == estimate.raw)
        #expect(estimate.adjustedStandardError == estimate.rawStandardError)
        #expect(estimate.ridersWithoutHistory == 7)
        #expect(estimate.usersNeeded.raw == estimate.usersNeeded.adjusted && estimate.usersNeeded.raw != nil)
        #expect(try #require(Self.estimate(control, treatment).value).usersNeeded == .init(raw: nil, adjusted: nil))
    }

    @Test func handCheckedSmallExample() throws {
        // Control (y, x): (0,0) (1,1) (0,1); treatment: (1,1) (1,0) (0,0) (1,2). Pooled: x̄ = 5/7, ȳ = 4/7,
        // Sxx = Σx² − 7x̄² = 7 − 25/7 = 24/7, Sxy = Σxy − 7x̄ȳ = 4 − 20/7 = 8/7, so θ = 1/3.
        let control = Self.moments([(0, 0), (1, 1), (0, 1)])
        let treatment = Self.moments([(1, 1), (1, 0), (0, 0), (1, 2)])
        let estimate = try #require(Self.estimate(control, treatment).value)
        #expect(abs(estimate.theta - 1.0 / 3) < 1e-15)
        // raw = 3/4 − 1/3 = 5/12; x̄T − x̄C = 3/4 − 2/3 = 1/12; adjusted = 5/12 − 1/36 = 14/36.
        #expect(abs(estimate.raw.estimate - 5.0 / 12) < 1e-15)
        #expect(abs(estimate.adjusted.estimate - 14.0 / 36) < 1e-15)
        // y − x/3: control 0, 2/3, −1/3; treatment 2/3, 1, 0, 1/3; SE from their sample variances.
        let varianceC = Self.sampleVariance([0, 2.0 / 3, -1.0 / 3])
        let varianceT = Self.sampleVariance([2.0 / 3, 1, 0, 1.0 / 3])
        #expect(abs(estimate.adjustedStandardError - (varianceC / 3 + varianceT / 4).squareRoot()) < 1e-15)
        #expect(estimate.ridersWithoutHistory == 3 && estimate.preWindowDays == 14)
    }

    static func sampleVariance(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)
    }

    /// Riders whose conversion mostly repeats their pre-period behaviour; treatment adds `lift` to the rate.
    static func simulatedArms(riders: Int, lift: Double, seed: UInt64) -> (CupedMoments, CupedMoments) {
        var rng = SplitMix64(seed: seed)
        var arms = [CupedMoments(), CupedMoments()]
        for _ in 0..<riders {
            let arm = rng.nextUnit() < 0.5 ? 0 : 1
            let history = rng.nextUnit() < 0.4 ? 1.0 : 0
            let rate = (history == 1 ? 0.9 : 0.05) + (arm == 1 ? lift : 0)
            arms[arm].add(outcome: rng.nextUnit() < rate ? 1 : 0, covariate: history, hasHistory: history == 1)
        }
        return (arms[0], arms[1])
    }
}

@Suite("Experiment decision with CUPED")
struct CupedDecisionTests {
    static let definition = try! ExperimentDefinition(id: "cuped-exp")
    static let window = try! AnalysisWindow(hours: 720)

    static func counts(_ moments: CupedMoments, _ name: String) throws -> ConversionCounts {
        try ConversionCounts(variant: name, users: moments.count, conversions: Int(moments.sumOutcome.rounded()))
    }

    @Test func adjustedEstimateDrivesTheDecisionAndRawTestStays() throws {
        // History predicts conversion strongly (90 % vs 5 %): CUPED removes ~70 % of the variance, so a 4-point
        // lift on 4,000 riders is found by the adjusted test nearly always and by the raw one rarely.
        var (cupedShips, rawShips) = (0, 0)
        for seed in UInt64(0)..<20 {
            let (control, treatment) = CupedTests.simulatedArms(riders: 4_000, lift: 0.04, seed: 77 + seed)
            let counts = [try Self.counts(control, "control"), try Self.counts(treatment, "treatment")]
            let health = (
                GuardrailMetrics(requests: 5_000, errors: 0, p95LatencyMs: 40),
                GuardrailMetrics(requests: 5_000, errors: 0, p95LatencyMs: 40)
            )
            let raw = try ExperimentDecision.evaluate(
                definition: Self.definition, window: Self.window, counts: counts, guardrails: health)
            let adjusted = try ExperimentDecision.evaluate(
                definition: Self.definition, window: Self.window, counts: counts, guardrails: health,
                cuped: (control, treatment, 14))
            let estimate = try #require(adjusted.cuped?.value)
            #expect(raw.cuped == nil && raw.design == .ab && adjusted.design == .ab)
            #expect(estimate.varianceReduction > 0.5)
            // The raw z-test is unchanged; the always-valid p is the mSPRT of the adjusted estimate.
            #expect(adjusted.test.pValue == raw.test.pValue && adjusted.test.z == raw.test.z)
            let variance = estimate.adjustedStandardError * estimate.adjustedStandardError
            let look = try #require(
                AlwaysValidTest.compute(estimate: estimate.adjusted.estimate, variance: variance).value)
            #expect(adjusted.test.alwaysValidPValue == look.pValue)
            #expect((adjusted.decision == .ship) == (look.pValue < 0.05 && estimate.adjusted.estimate > 0))
            if adjusted.decision == .ship {
                cupedShips += 1
                #expect(adjusted.reason.contains("CUPED"))
            }
            if raw.decision == .ship { rawShips += 1 }
            #expect(try #require(estimate.usersNeeded.adjusted) < estimate.usersNeeded.raw ?? 0)
        }
        print("CUPED decision: 20 simulated experiments, shipped \(cupedShips) with CUPED, \(rawShips) without")
        #expect(cupedShips >= 15, "CUPED shipped \(cupedShips) of 20")
        #expect(rawShips <= 5, "raw shipped \(rawShips) of 20")
    }

    @Test func summaryEncodesDesignAndDecodesOldSummariesAsAB() throws {
        let counts = [
            try ConversionCounts(variant: "control", users: 500, conversions: 50),
            try ConversionCounts(variant: "treatment", users: 500, conversions: 55),
        ]
        let (control, treatment) = CupedTests.simulatedArms(riders: 1_000, lift: 0, seed: 5)
        let summary = try ExperimentDecision.evaluate(
            definition: Self.definition, window: Self.window, counts: counts, cuped: (control, treatment, 14))
        let data = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(ExperimentSummary.self, from: data) == summary)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["design"] as? String == "ab")
        #expect(object["cuped"] != nil)
        object["design"] = nil
        object["cuped"] = nil
        let old = try JSONDecoder().decode(
            ExperimentSummary.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(old.design == .ab && old.cuped == nil)
        #expect(throws: ExperimentsError.self) {
            try ExperimentDecision.evaluate(
                definition: Self.definition, window: Self.window, counts: counts, cuped: (control, treatment, -1))
        }
    }

    @Test func estimateBasedMixtureMatchesTheFormula() throws {
        let (estimate, variance, tau2) = (0.012, 4e-5, 1e-4)
        let look = try #require(AlwaysValidTest.compute(estimate: estimate, variance: variance).value)
        let expected =
            0.5 * log(variance / (variance + tau2)) + estimate * estimate * tau2 / (2 * variance * (variance + tau2))
        #expect(abs(look.logLikelihoodRatio - expected) < 1e-15)
        #expect(look.pValue == min(1, exp(-expected)))
        #expect(AlwaysValidTest.compute(estimate: 0.1, variance: 0).value == nil)
    }
}
