import Experiments
import Foundation
import Testing

/// Interleaving experiments polled after every batch of riders, as a dashboard would.
@Suite("Interleaving always-valid test under continuous peeking")
struct InterleavingSimulationTests {
    /// How often sequences ever rejected (always-valid p ≤ α, or the naive sign test p ≤ α at any look).
    struct Outcome {
        var sequences = 0
        var alwaysValid = 0
        var naive = 0
    }

    /// `sequences` sequences of `looks` looks, each look adding `ridersPerLook` riders who tie with probability
    /// 0.25 and otherwise prefer treatment with probability `winShare`.
    static func simulate(
        sequences: Int, looks: Int, ridersPerLook: Int, winShare: Double, seed: UInt64, naive: Bool
    ) -> Outcome {
        var outcome = Outcome(sequences: sequences)
        // Each sequence seeded from a generator's output: seeds a multiple of SplitMix64's increment apart would
        // give overlapping streams, i.e. near-copies of one sequence.
        var seeds = SplitMix64(seed: seed)
        for _ in 0..<sequences {
            var rng = SplitMix64(seed: seeds.next())
            var wins = 0
            var losses = 0
            var state = AlwaysValidState()
            var rejectedAlwaysValid = false
            var rejectedNaive = false
            for _ in 0..<looks {
                for _ in 0..<ridersPerLook where rng.nextUnit() >= 0.25 {
                    if rng.nextUnit() < winShare { wins += 1 } else { losses += 1 }
                }
                if !rejectedAlwaysValid, let look = InterleavingAlwaysValidTest.compute(wins: wins, losses: losses) {
                    state = state.updated(pValue: look.pValue, mixingVariance: look.mixingVariance)
                    rejectedAlwaysValid = state.pValue <= 0.05
                }
                if naive, !rejectedNaive, let p = SignTest.pValue(wins: wins, losses: losses).value {
                    rejectedNaive = p <= 0.05
                }
                if rejectedAlwaysValid, rejectedNaive || !naive { break }
            }
            if rejectedAlwaysValid { outcome.alwaysValid += 1 }
            if rejectedNaive { outcome.naive += 1 }
        }
        return outcome
    }

    @Test func aaFalsePositivesStayUnderAlphaWithPeekingAfterEveryLook() {
        let outcome = Self.simulate(
            sequences: 1000, looks: 200, ridersPerLook: 10, winShare: 0.5, seed: 2_024_016, naive: true)
        let rate = Double(outcome.alwaysValid) / Double(outcome.sequences)
        let naiveRate = Double(outcome.naive) / Double(outcome.sequences)
        print(
            "interleaving A/A: 1000 sequences × 200 looks; always-valid rejected "
                + "\(String(format: "%.1f", rate * 100))%, naive sign test \(String(format: "%.1f", naiveRate * 100))%")
        // α plus three binomial standard deviations of a 5 % rate over 1,000 sequences (√(0.05·0.95/1000) = 0.69 %).
        #expect(rate <= 0.05 + 3 * (0.05 * 0.95 / 1000).squareRoot())
        // The simulation has teeth: peeking at the fixed-horizon test after every look inflates its error.
        #expect(naiveRate > 0.1)
    }

    @Test func detectsASixtyFortySplit() {
        let outcome = Self.simulate(
            sequences: 300, looks: 200, ridersPerLook: 10, winShare: 0.6, seed: 60_40, naive: false)
        let power = Double(outcome.alwaysValid) / Double(outcome.sequences)
        print(
            "interleaving 60/40: always-valid power \(String(format: "%.1f", power * 100))% within 1,500 decisive riders"
        )
        #expect(power >= 0.95)
    }

    @Test func decisionShipsASixtyFortySplitAndNeverRollsItBack() throws {
        let window = try AnalysisWindow(hours: 720)
        var shipped = 0
        for index in 0..<50 {
            var rng = SplitMix64(seed: 4_060 &+ UInt64(index))
            var (wins, losses, ties, control, treatment) = (0, 0, 0, 0, 0)
            var state = AlwaysValidState()
            var decision = Decision.keepRunning
            for _ in 0..<100 where decision == .keepRunning {
                for _ in 0..<20 {
                    if rng.nextUnit() < 0.5 { control += 1 } else { treatment += 1 }
                    let draw = rng.nextUnit()
                    if draw < 0.25 { ties += 1 } else if draw < 0.25 + 0.75 * 0.6 { wins += 1 } else { losses += 1 }
                }
                let counts = try InterleavingCounts(
                    exposedRiders: 2 * (wins + losses + ties), riders: wins + losses + ties, wins: wins,
                    losses: losses, ties: ties, firstPicks: FirstPicks(control: control, treatment: treatment))
                let summary = try InterleavingDecision.evaluate(
                    experimentId: "sim", window: window, counts: counts, previousState: state)
                state = summary.alwaysValidState
                decision = summary.decision
            }
            #expect(decision != .rollback)
            if decision == .ship { shipped += 1 }
        }
        #expect(shipped >= 45)
    }
}
