import Experiments
import Foundation
import Testing

/// A/A (and A/B) experiments polled after every batch of traffic, as a dashboard would.
struct PolledExperimentSimulation {
    var experiments: Int
    var polls: Int
    var usersPerPoll: Int
    var controlRate: Double
    var treatmentRate: Double
    var seed: UInt64

    /// How many experiments ever ended in `ship` / `rollback` under each basis.
    struct Outcome {
        var experiments = 0
        var alwaysValidShip = 0, alwaysValidRollback = 0
        var naiveShip = 0, naiveRollback = 0

        var alwaysValidRate: Double { Double(alwaysValidShip + alwaysValidRollback) / Double(experiments) }
        var naiveRate: Double { Double(naiveShip + naiveRollback) / Double(experiments) }
    }

    func run() throws -> Outcome {
        let definition = try ExperimentDefinition(id: "aa")
        let window = try AnalysisWindow(hours: 720)
        let alwaysValid = DecisionPolicy(basis: .alwaysValid)
        let naive = DecisionPolicy(basis: .fixedHorizon)
        var outcome = Outcome(experiments: experiments)
        for index in 0..<experiments {
            var rng = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
            var users = [0, 0]
            var conversions = [0, 0]
            var state = AlwaysValidState()
            var avDecision: Decision?
            var naiveDecision: Decision?
            for _ in 0..<polls where avDecision == nil || naiveDecision == nil {
                for _ in 0..<usersPerPoll {
                    let arm = rng.nextUnit() < 0.5 ? 0 : 1
                    users[arm] += 1
                    if rng.nextUnit() < (arm == 0 ? controlRate : treatmentRate) { conversions[arm] += 1 }
                }
                let counts = [
                    try ConversionCounts(variant: "control", users: users[0], conversions: conversions[0]),
                    try ConversionCounts(variant: "treatment", users: users[1], conversions: conversions[1]),
                ]
                let health = (
                    GuardrailMetrics(requests: users[0], errors: 0, p95LatencyMs: 40),
                    GuardrailMetrics(requests: users[1], errors: 0, p95LatencyMs: 40)
                )
                if avDecision == nil {
                    let summary = try ExperimentDecision.evaluate(
                        definition: definition, window: window, counts: counts, guardrails: health,
                        previousState: state, policy: alwaysValid)
                    state = summary.alwaysValidState
                    if summary.decision != .keepRunning { avDecision = summary.decision }
                }
                if naiveDecision == nil {
                    let summary = try ExperimentDecision.evaluate(
                        definition: definition, window: window, counts: counts, guardrails: health, policy: naive)
                    if summary.decision != .keepRunning { naiveDecision = summary.decision }
                }
            }
            if avDecision == .ship { outcome.alwaysValidShip += 1 }
            if avDecision == .rollback { outcome.alwaysValidRollback += 1 }
            if naiveDecision == .ship { outcome.naiveShip += 1 }
            if naiveDecision == .rollback { outcome.naiveRollback += 1 }
        }
        return outcome
    }
}

@Suite("Polled-experiment simulation")
struct AASimulationTests {
    /// Sizes come from the environment only for the long form (`bench/experiments-aa-simulation.sh`).
    static func size(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? value
    }

    @Test func alwaysValidKeepsFalsePositivesUnderAlphaWhileNaivePeekingDoesNot() throws {
        let simulation = PolledExperimentSimulation(
            experiments: Self.size("RIDEEASE_AA_EXPERIMENTS", default: 400),
            polls: Self.size("RIDEEASE_AA_POLLS", default: 40),
            usersPerPoll: Self.size("RIDEEASE_AA_USERS_PER_POLL", default: 250),
            controlRate: Double(Self.size("RIDEEASE_AA_RATE_PERCENT", default: 10)) / 100,
            treatmentRate: Double(Self.size("RIDEEASE_AA_RATE_PERCENT", default: 10)) / 100,
            seed: UInt64(Self.size("RIDEEASE_AA_SEED", default: 20_240_601)))
        let clock = ContinuousClock()
        var outcome = PolledExperimentSimulation.Outcome()
        let elapsed = try clock.measure { outcome = try simulation.run() }
        print(
            "A/A: \(outcome.experiments) experiments × \(simulation.polls) polls × \(simulation.usersPerPoll) users; "
                + "ever ship/rollback: always-valid \(String(format: "%.2f", outcome.alwaysValidRate * 100))% "
                + "(\(outcome.alwaysValidShip)/\(outcome.alwaysValidRollback)), naive peeked z-test "
                + "\(String(format: "%.2f", outcome.naiveRate * 100))% "
                + "(\(outcome.naiveShip)/\(outcome.naiveRollback)) in \(elapsed)")
        #expect(outcome.alwaysValidRate <= 0.05)
        #expect(outcome.naiveRate >= 0.10, "peeking should visibly inflate false positives")
    }

    @Test func alwaysValidStillFindsRealEffects() throws {
        let better = try PolledExperimentSimulation(
            experiments: 60, polls: 40, usersPerPoll: 500, controlRate: 0.10, treatmentRate: 0.12, seed: 7
        ).run()
        let worse = try PolledExperimentSimulation(
            experiments: 60, polls: 40, usersPerPoll: 500, controlRate: 0.12, treatmentRate: 0.10, seed: 8
        ).run()
        print(
            "A/B +2 points: always-valid ship \(better.alwaysValidShip)/60; "
                + "reversed: rollback \(worse.alwaysValidRollback)/60"
        )
        #expect(better.alwaysValidShip >= 48 && better.alwaysValidRollback == 0)
        #expect(worse.alwaysValidRollback >= 48 && worse.alwaysValidShip == 0)
    }
}
