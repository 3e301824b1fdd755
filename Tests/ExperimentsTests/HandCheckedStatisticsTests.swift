import Experiments
import Foundation
import Testing

@Suite("Statistics: hand-checked values and edge cases")
struct HandCheckedStatisticsTests {
    private func counts(_ variant: String, _ users: Int, _ conversions: Int) throws -> ConversionCounts {
        try ConversionCounts(variant: variant, users: users, conversions: conversions)
    }

    @Test func wilsonFiveOfTen() throws {
        // Symmetric case: centre exactly 0.5; bounds 0.5 ± z√(0.025 + z²/400)/(1 + z²/10) = [0.2366, 0.7634].
        let interval = try #require(WilsonInterval.interval(for: try counts("a", 10, 5)).value)
        #expect(interval.estimate == 0.5)
        #expect(abs(interval.lower - 0.236_593_090_512_564_7) < 1e-12)
        #expect(abs(interval.upper - 0.763_406_909_487_435_3) < 1e-12)
        #expect(WilsonInterval.interval(for: try counts("a", 0, 0)).insufficientDataReason != nil)
    }

    @Test func zTestByHand() throws {
        // p̄ = 250/2000 = 0.125, SE₀ = √(0.125·0.875·(2/1000)) = 0.014790199, z = 0.05/SE₀ = 3.380617.
        let test = TwoProportionTest(control: try counts("control", 1000, 100), treatment: try counts("t", 1000, 150))
        let z = try #require(test.zTest.value)
        #expect(abs(z.z - 3.380_617_018_914_066) < 1e-12)
        #expect(isClose(z.pValue, 7.232_327_164_301_94e-4))  // scipy: 2·norm.sf(z)
        let difference = try #require(test.difference.value)
        // Unpooled SE = √(0.09/1000 + 0.1275/1000) = 0.01474788.
        #expect(abs(difference.upper - difference.lower - 2 * 1.959963984540054 * 0.014_747_881_203_752_63) < 1e-12)
        #expect(abs(try #require(test.lift.value).estimate - 0.5) < 1e-15)
    }

    @Test func chiSquareClosedForms() {
        for x in [0.1, 1.0, 4.0, 16.0, 100.0] {
            #expect(isClose(ChiSquareDistribution.survival(x, degreesOfFreedom: 2), exp(-x / 2)))
            // df = 4: Q(2, x/2) = e^{−x/2}(1 + x/2); df = 6: e^{−x/2}(1 + x/2 + x²/8).
            #expect(isClose(ChiSquareDistribution.survival(x, degreesOfFreedom: 4), exp(-x / 2) * (1 + x / 2)))
            #expect(
                isClose(
                    ChiSquareDistribution.survival(x, degreesOfFreedom: 6), exp(-x / 2) * (1 + x / 2 + x * x / 8),
                    relative: 1e-13))
        }
        #expect(ChiSquareDistribution.survival(0, degreesOfFreedom: 3) == 1)
        #expect(ChiSquareDistribution.survival(.infinity, degreesOfFreedom: 3) == 0)
    }

    @Test func srmByHand() throws {
        // χ² = 2·200²/5000 = 16, p = erfc(√8) = 6.334e-5 < 0.001.
        let srm = try #require(SampleRatioMismatch.check(users: [5200, 4800], weights: [0.5, 0.5]).value)
        #expect(srm.chiSquare == 16)
        #expect(abs(srm.pValue - 6.334_248_366_623_996e-5) < 1e-15)
        #expect(srm.detected)
        #expect(SampleRatioMismatch.check(users: [0, 0], weights: [0.5, 0.5]).insufficientDataReason != nil)
        let stray = try #require(SampleRatioMismatch.check(users: [50, 3, 50], weights: [0.5, 0, 0.5]).value)
        #expect(stray.detected && stray.degreesOfFreedom == 1)
    }

    @Test func normalQuantileHitsTheDocumentedConstant() {
        #expect(abs(NormalDistribution.quantile(0.975) - NormalDistribution.z975) < 1e-15)
        #expect(NormalDistribution.quantile(0.5) == 0)
        #expect(NormalDistribution.twoSidedPValue(0) == 1)
    }

    @Test func alwaysValidByHand() throws {
        // σ² = τ² makes Λ = √½·exp(z²/4); for 1000/100 vs 1000/150, σ² = 2.1875e-4, so use τ² = σ².
        let control = try counts("control", 1000, 100)
        let treatment = try counts("treatment", 1000, 150)
        let look = try #require(
            AlwaysValidTest.compute(control: control, treatment: treatment, mixingVariance: 2.1875e-4).value)
        let z = 3.380_617_018_914_066
        #expect(isClose(look.logLikelihoodRatio, 0.5 * log(0.5) + z * z / 4, relative: 1e-12))
        #expect(isClose(look.pValue, 1 / exp(look.logLikelihoodRatio), relative: 1e-12))
        // No difference: Λ < 1, p-value capped at 1.
        let null = try #require(
            AlwaysValidTest.compute(control: control, treatment: try counts("t", 1000, 100), mixingVariance: 2.1875e-4)
                .value)
        #expect(null.pValue == 1)
        // The running p-value never increases.
        let state = AlwaysValidState().updated(with: look).updated(with: null)
        #expect(state.pValue == look.pValue && state.looks == 2)
        var otherTau = look
        otherTau.mixingVariance = 1
        #expect(state.updated(with: otherTau).looks == 1)
    }

    @Test func mdeAndUsersNeededByHand() throws {
        let control = try counts("control", 10_000, 1000)
        let treatment = try counts("treatment", 10_000, 1000)
        let mde = try #require(try PowerAnalysis.minimumDetectableEffect(control: control, treatment: treatment).value)
        // (1.959964 + 0.841621)·√(0.1·0.9·2/10000) = 2.801585·0.0042426 = 0.011886.
        #expect(abs(mde.absolute - 0.011_885_98) < 1e-6)
        #expect(abs(try #require(mde.relative) - 0.118_859_8) < 1e-5)
        let needed = try #require(try PowerAnalysis.usersNeeded(baselineRate: 0.1, effect: 0.01, enrolled: 5000).value)
        #expect(needed.totalUsers == Int((needed.treatmentUsers * 2).rounded(.up)))
        #expect(needed.additionalUsers == needed.totalUsers - 5000)
        #expect(try PowerAnalysis.usersNeeded(baselineRate: 0.1, effect: 0).insufficientDataReason != nil)
        #expect(try PowerAnalysis.usersNeeded(baselineRate: 0.99, effect: 0.05).insufficientDataReason != nil)
        #expect(throws: ExperimentsError.self) {
            try PowerAnalysis.usersNeeded(baselineRate: 0.1, effect: 0.01, alpha: 0)
        }
    }

    static let extremes: [(Int, Int)] = [
        (0, 0), (1, 0), (1, 1), (2, 1), (5, 5), (1_000_000_000, 0), (1_000_000_000, 1_000_000_000),
        (1_000_000_000, 1), (1_000_000_000, 500_000_000), (10_000_000, 9_999_999),
    ]

    @Test func extremesNeverProduceNaNOrInfinity() throws {
        let encoder = JSONEncoder()
        for (nC, xC) in Self.extremes {
            for (nT, xT) in Self.extremes {
                let control = try counts("control", nC, xC)
                let treatment = try counts("treatment", nT, xT)
                let test = TwoProportionTest(control: control, treatment: treatment)
                let always = AlwaysValidTest.compute(control: control, treatment: treatment)
                let mde = try PowerAnalysis.minimumDetectableEffect(control: control, treatment: treatment)
                let values = [
                    test.zTest.value?.z, test.zTest.value?.pValue, test.difference.value?.lower,
                    test.difference.value?.upper, test.lift.value?.lower, test.lift.value?.upper,
                    always.value?.pValue, always.value?.logLikelihoodRatio, mde.value?.absolute,
                ].compactMap { $0 }
                #expect(values.allSatisfy { $0.isFinite }, "C \(xC)/\(nC) T \(xT)/\(nT): \(values)")
                // JSONEncoder throws on NaN/infinity, so encoding proves finiteness of everything reported.
                #expect(throws: Never.self) { _ = try encoder.encode(test) }
                #expect(throws: Never.self) { _ = try encoder.encode(always) }
                if nC == 0 || nT == 0 {
                    #expect(test.zTest.insufficientDataReason != nil)
                }
            }
        }
    }

    @Test func invalidCountsAreTypedErrors() {
        #expect(throws: ExperimentsError.invalidCounts(variant: "a", users: 5, conversions: 6)) {
            try ConversionCounts(variant: "a", users: 5, conversions: 6)
        }
        #expect(throws: ExperimentsError.self) { try ConversionCounts(variant: "a", users: -1, conversions: 0) }
        let json = Data(#"{"variant":"a","users":1,"conversions":2}"#.utf8)
        #expect(throws: ExperimentsError.self) { try JSONDecoder().decode(ConversionCounts.self, from: json) }
    }

    @Test func insufficientDataEncodesWithItsReason() throws {
        let result = StatisticResult<EstimateInterval>.insufficientData(reason: "no users yet")
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(json.contains(#""insufficientData":true"#) && json.contains(#""reason":"no users yet""#))
        let decoded = try JSONDecoder().decode(StatisticResult<EstimateInterval>.self, from: Data(json.utf8))
        #expect(decoded == result)
        let value = StatisticResult.value(EstimateInterval(estimate: 1, lower: 0, upper: 2))
        let roundTrip = try JSONDecoder().decode(
            StatisticResult<EstimateInterval>.self, from: try JSONEncoder().encode(value))
        #expect(roundTrip == value)
    }
}
