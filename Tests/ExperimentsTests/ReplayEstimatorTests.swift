import Experiments
import Foundation
import Testing

@Suite("Off-policy replay estimator")
struct ReplayEstimatorTests {
    static func slot(_ item: String, _ propensity: Double, _ converted: Bool) -> LoggedSlot {
        LoggedSlot(item: item, propensity: propensity, converted: converted)
    }

    static func expect(
        _ interval: ReplayInterval, value: Double, standardError: Double, z: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            abs(interval.value - value) < 1e-12, "value \(interval.value) vs \(value)", sourceLocation: sourceLocation)
        #expect(
            abs(interval.standardError - standardError) < 1e-12, "SE \(interval.standardError) vs \(standardError)",
            sourceLocation: sourceLocation)
        #expect(abs(interval.lower - (value - z * standardError)) < 1e-12, sourceLocation: sourceLocation)
        #expect(abs(interval.upper - (value + z * standardError)) < 1e-12, sourceLocation: sourceLocation)
    }

    /// Target [a, b] over four requests:
    /// 1. a (p ½, converted), b (p 1, not): w = 2, 1; r = 1, 0 → Y = 2.
    /// 2. a (p ½, not), c (p ¼, converted): w = 2, 0 (c ≠ b) → Y = 0.
    /// 3. d (p ½, converted), b (p ½, converted): w = 0, 2; r = ·, 1 → Y = 2.
    /// 4. a (p 1, not) with target [x]: nothing matches → Y = 0.
    /// IPS: mean(2, 0, 2, 0) = 1; deviations ±1, sd² = 4/3, SE = √(4/3)/2 = 0.5773502692;
    /// 95 % CI 1 ± 1.959963985 · 0.5773502692 = [−0.1315857341, 2.1315857341].
    /// SNIPS: position 0: Σw = 2 + 2 = 4, Σwr = 2 → R₀ = ½; position 1: Σw = 1 + 2 = 3, Σwr = 2 → R₁ = ⅔;
    /// value = 7/6. ψ (denominators Σw/n = 1 and ¾): ψ₁ = (2 − 1)/1 + (0 − ⅔)/¾ = 1/9, ψ₂ = (0 − 1)/1 = −1,
    /// ψ₃ = (2 − 4/3)/¾ = 8/9, ψ₄ = 0; mean 0, Σψ² = 146/81, sd² = 146/243, SE = √(146/243)/2 = 0.3875638803;
    /// CI [0.4070554196, 1.9262779138]. Matched: 3 requests, 4 slots; logged rate (1 + 1 + 2 + 0)/4 = 1.
    @Test func handComputedTwoPositions() {
        let requests = [
            LoggedRequest(slots: [Self.slot("a", 0.5, true), Self.slot("b", 1, false)], target: ["a", "b"]),
            LoggedRequest(slots: [Self.slot("a", 0.5, false), Self.slot("c", 0.25, true)], target: ["a", "b"]),
            LoggedRequest(slots: [Self.slot("d", 0.5, true), Self.slot("b", 0.5, true)], target: ["a", "b"]),
            LoggedRequest(slots: [Self.slot("a", 1, false)], target: ["x"]),
        ]
        let estimate = ReplayEstimator.estimate(requests)
        #expect(estimate.requests == 4 && estimate.matchedRequests == 3 && estimate.matchedSlots == 4)
        #expect(estimate.loggedRate == 1 && estimate.confidence == 0.95)
        let z = 1.959963984540054
        Self.expect(estimate.ips, value: 1, standardError: (4.0 / 3).squareRoot() / 2, z: z)
        Self.expect(estimate.snips, value: 7.0 / 6, standardError: (146.0 / 243).squareRoot() / 2, z: z)
        #expect(abs(estimate.ips.lower - -0.1315857341) < 1e-9 && abs(estimate.snips.upper - 1.9262779138) < 1e-9)
    }

    /// Target [a], three requests of one slot, propensity ½ each: a converted (w 2, Y 2), a not (w 2, Y 0), b
    /// converted (no match, Y 0).
    /// IPS: mean 2/3; deviations 4/3, −2/3, −2/3; Σ² = 8/3, sd² = 4/3, SE = √(4/3)/√3 = 2/3;
    /// 95 % CI 2/3 ± 1.959963985 · 2/3 = [−0.6399759897, 1.9733093230].
    /// SNIPS: Σw = 4, Σwr = 2 → R = ½. ψ = (2 − 1)/(4/3) = ¾, (0 − 1)/(4/3) = −¾, 0; Σψ² = 9/8, sd² = 9/16,
    /// SE = ¾/√3 = 0.4330127019; CI [−0.3486893006, 1.3486893006]. Matched: 2 requests, 2 slots; rate 2/3.
    /// At 90 % (z = 1.644853627): IPS CI [−0.4299024180, 1.7632357513], SNIPS [−0.2122425132, 1.2122425132].
    @Test func handComputedOnePositionAtTwoConfidences() {
        let requests = [
            LoggedRequest(slots: [Self.slot("a", 0.5, true)], target: ["a"]),
            LoggedRequest(slots: [Self.slot("a", 0.5, false)], target: ["a"]),
            LoggedRequest(slots: [Self.slot("b", 0.5, true)], target: ["a"]),
        ]
        let estimate = ReplayEstimator.estimate(requests)
        #expect(estimate.matchedRequests == 2 && estimate.matchedSlots == 2)
        #expect(abs(estimate.loggedRate - 2.0 / 3) < 1e-15)
        Self.expect(estimate.ips, value: 2.0 / 3, standardError: 2.0 / 3, z: 1.959963984540054)
        Self.expect(estimate.snips, value: 0.5, standardError: 0.75 / 3.0.squareRoot(), z: 1.959963984540054)
        #expect(abs(estimate.ips.lower - -0.6399759897) < 1e-9 && abs(estimate.snips.upper - 1.3486893006) < 1e-9)

        let ninety = ReplayEstimator.estimate(requests, confidence: 0.9)
        #expect(ninety.confidence == 0.9)
        Self.expect(ninety.ips, value: 2.0 / 3, standardError: 2.0 / 3, z: 1.6448536269514722)
        #expect(abs(ninety.ips.upper - 1.7632357513) < 1e-9 && abs(ninety.snips.lower - -0.2122425132) < 1e-9)
    }

    /// Target [a, b, c] against a logged list of two slots with a corrupt propensity: position 0 (a, p 0) cannot be
    /// weighed and is not matched; position 1 (b, p 0.2, converted) is: Y = 5. The target's third position has no
    /// logged slot. Second request: nothing shown matches (b at 0). IPS mean(5, 0) = 2.5; deviations ±2.5,
    /// sd² = 12.5, SE = √12.5/√2 = 2.5. SNIPS: R₁ = 5/5 = 1, R₀ = 0; ψ₁ = (5 − 5)/(5/2) = 0, ψ₂ = 0 → SE 0.
    @Test func handComputedUnusablePropensityAndShorterLog() {
        let requests = [
            LoggedRequest(slots: [Self.slot("a", 0, true), Self.slot("b", 0.2, true)], target: ["a", "b", "c"]),
            LoggedRequest(slots: [Self.slot("b", 0.5, true)], target: ["a", "b", "c"]),
        ]
        let estimate = ReplayEstimator.estimate(requests)
        #expect(estimate.matchedRequests == 1 && estimate.matchedSlots == 1 && estimate.loggedRate == 1.5)
        Self.expect(estimate.ips, value: 2.5, standardError: 2.5, z: 1.959963984540054)
        Self.expect(estimate.snips, value: 1, standardError: 0, z: 1.959963984540054)
    }

    @Test func noRequestsGiveAllZeros() throws {
        let estimate = ReplayEstimator.estimate([])
        #expect(
            estimate
                == ReplayEstimate(
                    requests: 0, matchedRequests: 0, matchedSlots: 0, loggedRate: 0, ips: .zero, snips: .zero,
                    confidence: 0.95))
        // Encodable: nothing NaN or infinite reaches JSON.
        _ = try JSONEncoder().encode(estimate)
    }

    @Test func noMatchesEstimateZero() {
        let requests = (0..<10).map { index in
            LoggedRequest(slots: [Self.slot("a", 0.5, index % 2 == 0), Self.slot("b", 1, true)], target: ["x", "y"])
        }
        let estimate = ReplayEstimator.estimate(requests)
        #expect(estimate.matchedRequests == 0 && estimate.matchedSlots == 0 && estimate.loggedRate == 1.5)
        #expect(estimate.ips == .zero && estimate.snips == .zero)
    }

    @Test func theLoggedListAsTargetWithCertainPropensitiesGivesTheLoggedRate() {
        var random = SplitMix64(seed: 99)
        let requests = (0..<500).map { _ in
            let items = (0..<4).map { _ in "place-\(random.next() % 50)" }
            let slots = items.map { Self.slot($0, 1, random.nextUnit() < 0.3) }
            return LoggedRequest(slots: slots, target: items)
        }
        let estimate = ReplayEstimator.estimate(requests)
        #expect(estimate.matchedRequests == 500 && estimate.matchedSlots == 2000)
        #expect(estimate.loggedRate > 0.9)
        #expect(estimate.ips.value == estimate.loggedRate)
        #expect(abs(estimate.snips.value - estimate.loggedRate) < 1e-12)
    }
}
