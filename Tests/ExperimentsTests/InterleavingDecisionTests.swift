import Experiments
import Foundation
import Testing

@Suite("Interleaving decision")
struct InterleavingDecisionTests {
    static let window = try! AnalysisWindow(hours: 168)
    static let balanced = FirstPicks(control: 5_000, treatment: 5_010)

    static func counts(
        wins: Int, losses: Int, ties: Int, firstPicks: FirstPicks = balanced
    ) throws -> InterleavingCounts {
        try InterleavingCounts(
            exposedRiders: 20_000, riders: wins + losses + ties, wins: wins, losses: losses, ties: ties,
            firstPicks: firstPicks)
    }

    static func evaluate(
        _ counts: InterleavingCounts, state: AlwaysValidState = AlwaysValidState()
    ) throws -> InterleavingSummary {
        try InterleavingDecision.evaluate(
            experimentId: "ranker-v2", window: window, counts: counts, previousState: state)
    }

    @Test func ridersAreTalliedFromTheirCredits() {
        let credits = [
            RiderCredit(control: 2, treatment: 1), RiderCredit(control: 0, treatment: 3),
            RiderCredit(control: 1, treatment: 1), RiderCredit(control: 0, treatment: 0, both: 2),
            RiderCredit(control: 0, treatment: 0), RiderCredit(control: 0, treatment: 1, both: 5),
        ]
        let counts = InterleavingCounts(
            exposedRiders: 9, credits: credits, firstPicks: FirstPicks(control: 4, treatment: 5))
        #expect(counts.wins == 2 && counts.losses == 1 && counts.ties == 2 && counts.riders == 5)
        #expect(counts.exposedRiders == 9)
    }

    @Test func clearPreferenceShipsAndTheReverseRollsBack() throws {
        let better = try Self.evaluate(Self.counts(wins: 300, losses: 180, ties: 120))
        #expect(better.decision == .ship)
        #expect(better.design == .interleaving)
        #expect(try #require(better.alwaysValidPValue) <= 0.05)
        #expect(better.reason.contains("prefer treatment"))
        let worse = try Self.evaluate(Self.counts(wins: 180, losses: 300, ties: 120))
        #expect(worse.decision == .rollback)
        #expect(worse.reason.contains("prefer control"))
        // The fixed-horizon sign test is reported beside it and is (much) smaller than the always-valid p.
        #expect(try #require(better.pValue) < (better.alwaysValidPValue ?? 0))
    }

    @Test func firstPickMismatchKeepsRunningWhateverThePreference() throws {
        let summary = try Self.evaluate(
            Self.counts(wins: 400, losses: 100, ties: 0, firstPicks: FirstPicks(control: 5_400, treatment: 4_600)))
        #expect(summary.decision == .keepRunning)
        #expect(summary.srm.value?.detected == true)
        #expect(summary.reason.contains("First-pick mismatch"))
    }

    @Test func tooFewRidersKeepsRunning() throws {
        let summary = try Self.evaluate(Self.counts(wins: 60, losses: 0, ties: 10))
        #expect(summary.decision == .keepRunning)
        #expect(summary.reason.contains("70 of the 100"))
        // The look is still folded in: it is exact, and the state must not miss it.
        #expect(summary.alwaysValidState.looks == 1 && summary.alwaysValidState.pValue < 0.05)
    }

    @Test func noSignificantPreferenceSaysHowFar() throws {
        let summary = try Self.evaluate(Self.counts(wins: 105, losses: 100, ties: 40))
        #expect(summary.decision == .keepRunning)
        #expect(summary.reason.contains("51.2195% of decisive riders"))
        #expect(try #require(summary.alwaysValidPValue) > 0.05)
    }

    @Test func runningMinimumCarriesAnEarlierSignificantLook() throws {
        let strong = try Self.evaluate(Self.counts(wins: 300, losses: 180, ties: 0))
        let weaker = try Self.evaluate(Self.counts(wins: 320, losses: 300, ties: 0), state: strong.alwaysValidState)
        #expect(weaker.alwaysValidPValue == strong.alwaysValidPValue)
        #expect(weaker.decision == .ship)
        #expect(weaker.alwaysValidState.looks == 2)
        // A state from another mixing distribution (the A/B test's τ²) restarts the sequence.
        let foreign = AlwaysValidState().updated(pValue: 1e-9, mixingVariance: 1e-4)
        let restarted = try Self.evaluate(Self.counts(wins: 105, losses: 100, ties: 0), state: foreign)
        #expect(restarted.decision == .keepRunning && restarted.alwaysValidState.looks == 1)
    }

    @Test func preferenceIsTheMeanScoreWithItsNormalInterval() throws {
        // Scores 1, 1, 1, 0, ½, ½: mean 2/3, sample variance 1/6, SE = √(1/6 / 6) = 1/6.
        let summary = try Self.evaluate(Self.counts(wins: 3, losses: 1, ties: 2))
        let preference = try #require(summary.preference.value)
        #expect(abs(preference.estimate - 1.0 / 6) < 1e-15)
        #expect(abs(preference.upper - (1.0 / 6 + 1.959963984540054 / 6)) < 1e-15)
        #expect(abs(preference.lower - (1.0 / 6 - 1.959963984540054 / 6)) < 1e-15)
        #expect(try Self.evaluate(Self.counts(wins: 4, losses: 0, ties: 0)).preference.value == nil)
        #expect(try Self.evaluate(Self.counts(wins: 1, losses: 0, ties: 0)).preference.value == nil)
    }

    @Test func noDecisiveRiderHasNoPValues() throws {
        let summary = try Self.evaluate(Self.counts(wins: 0, losses: 0, ties: 3))
        #expect(summary.pValue == nil && summary.alwaysValidPValue == nil)
        let json = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
        #expect(json.contains(#""pValue":null"#) && json.contains(#""design":"interleaving""#))
        #expect(try JSONDecoder().decode(InterleavingSummary.self, from: JSONEncoder().encode(summary)) == summary)
    }

    @Test func negativeOrInconsistentCountsThrowAClearError() throws {
        #expect(
            throws: ExperimentsError.invalidInterleavingCount(name: "wins", value: -1, expected: "a non-negative count")
        ) {
            try InterleavingCounts(exposedRiders: 5, riders: 0, wins: -1, losses: 1, ties: 0, firstPicks: Self.balanced)
        }
        let error = ExperimentsError.invalidInterleavingCount(name: "wins", value: -1, expected: "a non-negative count")
        #expect(error.description == "interleaving count wins = -1 is invalid; expected a non-negative count")
        #expect(throws: ExperimentsError.self) {
            try InterleavingCounts(
                exposedRiders: 5, riders: 3, wins: 1, losses: 1, ties: 0, firstPicks: Self.balanced)
        }
        #expect(throws: ExperimentsError.self) {
            try InterleavingCounts(
                exposedRiders: 5, riders: 0, wins: 0, losses: 0, ties: 0,
                firstPicks: FirstPicks(control: -3, treatment: 0))
        }
        var mutated = try Self.counts(wins: 5, losses: 5, ties: 0)
        mutated.losses = -5
        #expect(throws: ExperimentsError.self) { try Self.evaluate(mutated) }
        let json = Data(
            #"{"exposedRiders":1,"riders":1,"wins":2,"losses":-1,"ties":0,"firstPicks":{"control":1,"treatment":0}}"#
                .utf8)
        #expect(throws: ExperimentsError.self) { try JSONDecoder().decode(InterleavingCounts.self, from: json) }
        #expect(SignTest.pValue(wins: -1, losses: 3).value == nil)
        #expect(SignTest.pValue(wins: 0, losses: 0).value == nil)
        #expect(InterleavingAlwaysValidTest.compute(wins: -1, losses: 0) == nil)
    }

    @Test func signTestHandChecked() throws {
        // n = 10, k = 2: P(X ≤ 2) = (1 + 10 + 45)/1024, doubled.
        #expect(isClose(try #require(SignTest.pValue(wins: 2, losses: 8).value), 112.0 / 1024, relative: 1e-14))
        #expect(isClose(try #require(SignTest.pValue(wins: 8, losses: 2).value), 112.0 / 1024, relative: 1e-14))
        #expect(SignTest.pValue(wins: 5, losses: 5).value == 1)
        #expect(SignTest.pValue(wins: 0, losses: 20).value == 2 * 0x1p-20)
        #expect(SignTest.pValue(wins: 0, losses: 2_000).value == 0)  // 2⁻¹⁹⁹⁹ underflows, as in scipy
        // n = 10⁶ stays finite and fast: 1σ = 500 wins from the centre gives p ≈ 0.3173.
        let million = try #require(SignTest.pValue(wins: 500_500, losses: 499_500).value)
        #expect(abs(million - 0.3173) < 0.001)
    }
}
