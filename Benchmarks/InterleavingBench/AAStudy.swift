import Experiments
import Recommender

/// One row of the A/A table: how many experiments ever ended in ship or rollback.
struct FalseDecisions: Sendable {
    let label: String
    let falseDecisions: Int
    let experiments: Int
    /// Whether this row is a goal (always-valid, under peeking) or a contrast.
    let isGoal: Bool

    var share: Double { Double(falseDecisions) / Double(experiments) }

    /// Wilson 95 % upper bound of the share.
    var upperBound: Double {
        let n = Double(experiments), p = share, z = 1.959964
        let centre = p + z * z / (2 * n)
        let radius = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        return (centre + radius) / (1 + z * z / n)
    }
}

/// A/A under continuous peeking: the same ranker in both arms (A/B), and two exchangeable rankers (interleaving),
/// each looked at `traffic.looks` times; any ship or rollback is false.
///
/// Interleaving one model with itself is degenerate with competitive pairs — every slot is `both`, nothing is
/// ever credited — so that literal A/A is reported for completeness and the tested one interleaves two iALS fits
/// that differ only in their initialisation seed, with a per-rider coin deciding which plays control: exactly
/// null by symmetry, yet with real lists that disagree and real wins and losses.
struct AAStudy: Sendable {
    let bench: BenchWorld
    let experiments: Int
    let seed: UInt64
    let policy: DecisionPolicy
    let model: String
    let twin: String

    func run(riders n: Int) async throws -> [FalseDecisions] {
        let lists = bench.lists(model)
        let ab = ABSimulation(control: lists, treatment: lists, traffic: bench.traffic, clicks: bench.clicks)
        let exchangeable = InterleavingSimulation(
            control: lists, treatment: bench.lists(twin), traffic: bench.traffic, clicks: bench.clicks,
            swapPerRider: true)
        let literal = InterleavingSimulation(
            control: lists, treatment: lists, traffic: bench.traffic, clicks: bench.clicks)
        let (seed, policy, experiments) = (seed, policy, experiments)
        let abOutcomes = try await ParallelExperiments.run(count: experiments) { e in
            try ab.run(riders: n, seed: ParallelExperiments.seed(seed, 9, 1, UInt64(e)), policy: policy)
        }
        Log.progress("A/A A/B done")
        let interleavingOutcomes = try await ParallelExperiments.run(count: experiments) { e in
            try exchangeable.run(riders: n, seed: ParallelExperiments.seed(seed, 9, 2, UInt64(e)), policy: policy)
        }
        Log.progress("A/A interleaving done")
        // Every slot of that degenerate run is `both`: a few dozen experiments show it as well as hundreds would.
        let literalOutcomes = try await ParallelExperiments.run(count: min(experiments, 50)) { e in
            try literal.run(riders: n, seed: ParallelExperiments.seed(seed, 9, 3, UInt64(e)), policy: policy)
        }
        Log.progress("A/A interleaving of one model with itself done")
        func row<Outcome>(
            _ label: String, _ outcomes: [Outcome], goal: Bool, _ decision: (Outcome) -> Decision
        )
            -> FalseDecisions
        {
            FalseDecisions(
                label: label, falseDecisions: outcomes.count { decision($0) != .keepRunning },
                experiments: outcomes.count, isGoal: goal)
        }
        let looks = bench.traffic.looks
        return [
            row("A/B raw, always-valid, \(looks) looks", abOutcomes, goal: true, \.alwaysValidRaw),
            row("A/B CUPED, always-valid, \(looks) looks", abOutcomes, goal: true, \.alwaysValidCuped),
            row("interleaving, always-valid, \(looks) looks", interleavingOutcomes, goal: true, \.alwaysValid),
            row("A/B raw z-test, one look at the end", abOutcomes, goal: false, \.fixedRaw),
            row("A/B CUPED z-test, one look at the end", abOutcomes, goal: false, \.fixedCuped),
            row("sign test, one look at the end", interleavingOutcomes, goal: false, \.fixed),
            row("A/B raw z-test peeked \(looks) times", abOutcomes, goal: false, \.peekedRaw),
            row("A/B CUPED z-test peeked \(looks) times", abOutcomes, goal: false, \.peekedCuped),
            row("sign test peeked \(looks) times", interleavingOutcomes, goal: false, \.peeked),
            row("interleaving \(model) with itself (all slots both)", literalOutcomes, goal: false, \.alwaysValid),
        ]
    }
}
