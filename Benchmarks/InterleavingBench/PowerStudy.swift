import Experiments
import Recommender

/// The six analyses whose power is measured.
enum Analysis: Int, CaseIterable, Sendable {
    case abRawFixed, abRawAlwaysValid, abCupedFixed, abCupedAlwaysValid, interleavingFixed, interleavingAlwaysValid

    var label: String {
        switch self {
        case .abRawFixed: "A/B z fixed"
        case .abRawAlwaysValid: "A/B z AV"
        case .abCupedFixed: "CUPED fixed"
        case .abCupedAlwaysValid: "CUPED AV"
        case .interleavingFixed: "IL sign fixed"
        case .interleavingAlwaysValid: "IL AV"
        }
    }

    var isInterleaving: Bool { self == .interleavingFixed || self == .interleavingAlwaysValid }
}

/// Two rankers compared, the weaker as control.
struct RankerPair: Sendable {
    let label: String
    let control: String
    let treatment: String
}

/// CUPED at one sample size: the spread of the raw and adjusted differences across experiments, and ρ.
struct CupedCheck: Sendable {
    let riders: Int
    let rawVariance: Double
    let adjustedVariance: Double
    /// Mean over experiments of the ρ² CUPED reported.
    let meanSquaredCorrelation: Double

    var observedRatio: Double { adjustedVariance / rawVariance }
    var predictedRatio: Double { 1 - meanSquaredCorrelation }
}

/// Power of one pair over the size grid.
struct PairPower: Sendable {
    let pair: RankerPair
    let gap: GroundTruthGap
    /// riders → analysis → share of correct significant decisions; a design absent at a size had already
    /// saturated (every analysis of it ≥ `PowerStudy.saturation`) at a smaller one.
    var power: [Int: [Analysis: Double]] = [:]
    var cuped: [CupedCheck] = []
}

/// Runs the simulated experiments of the power grid and of the A/A study.
struct PowerStudy: Sendable {
    /// A design stops growing N once all its analyses reach this power.
    static let saturation = 0.98

    let bench: BenchWorld
    let experiments: Int
    let sizes: [Int]
    let seed: UInt64
    let policy: DecisionPolicy

    func power(of pair: RankerPair, pairIndex: UInt64) async throws -> PairPower {
        let gap = bench.gap(control: pair.control, treatment: pair.treatment)
        let expected: Decision = gap.difference > 0 ? .ship : .rollback
        var result = PairPower(pair: pair, gap: gap)
        let ab = ABSimulation(
            control: bench.lists(pair.control), treatment: bench.lists(pair.treatment), traffic: bench.traffic,
            clicks: bench.clicks)
        let interleaving = InterleavingSimulation(
            control: bench.lists(pair.control), treatment: bench.lists(pair.treatment), traffic: bench.traffic,
            clicks: bench.clicks)
        var abDone = false, interleavingDone = false
        let (seed, policy, experiments) = (seed, policy, experiments)
        for (sizeIndex, n) in sizes.enumerated() where !(abDone && interleavingDone) {
            var row: [Analysis: Double] = [:]
            if !abDone {
                let outcomes = try await ParallelExperiments.run(count: experiments) { e in
                    try ab.run(
                        riders: n, seed: ParallelExperiments.seed(seed, pairIndex, 1, UInt64(sizeIndex), UInt64(e)),
                        policy: policy)
                }
                func share(_ decision: (ABOutcome) -> Decision) -> Double {
                    Double(outcomes.count { decision($0) == expected }) / Double(outcomes.count)
                }
                row[.abRawFixed] = share(\.fixedRaw)
                row[.abRawAlwaysValid] = share(\.alwaysValidRaw)
                row[.abCupedFixed] = share(\.fixedCuped)
                row[.abCupedAlwaysValid] = share(\.alwaysValidCuped)
                if let check = Self.cupedCheck(outcomes, riders: n) { result.cuped.append(check) }
                abDone = Analysis.allCases.filter { !$0.isInterleaving }.allSatisfy {
                    row[$0, default: 0] >= Self.saturation
                }
            }
            if !interleavingDone {
                let outcomes = try await ParallelExperiments.run(count: experiments) { e in
                    try interleaving.run(
                        riders: n, seed: ParallelExperiments.seed(seed, pairIndex, 2, UInt64(sizeIndex), UInt64(e)),
                        policy: policy)
                }
                row[.interleavingFixed] = Double(outcomes.count { $0.fixed == expected }) / Double(outcomes.count)
                row[.interleavingAlwaysValid] =
                    Double(outcomes.count { $0.alwaysValid == expected }) / Double(outcomes.count)
                interleavingDone =
                    row[.interleavingFixed, default: 0] >= Self.saturation
                    && row[.interleavingAlwaysValid, default: 0] >= Self.saturation
            }
            result.power[n] = row
            Log.progress(
                "\(pair.label) N=\(n): "
                    + row.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                        "\($0.key.label) \($0.value)"
                    }.joined(separator: ", "))
        }
        return result
    }

    /// Variance of both difference estimates across experiments (needs CUPED at every experiment).
    static func cupedCheck(_ outcomes: [ABOutcome], riders: Int) -> CupedCheck? {
        let adjusted = outcomes.compactMap(\.adjustedDifference)
        let correlations = outcomes.compactMap(\.correlation)
        guard adjusted.count == outcomes.count, correlations.count == outcomes.count, outcomes.count > 2 else {
            return nil
        }
        func variance(_ values: [Double]) -> Double {
            let mean = values.reduce(0, +) / Double(values.count)
            return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        }
        return CupedCheck(
            riders: riders, rawVariance: variance(outcomes.map(\.rawDifference)), adjustedVariance: variance(adjusted),
            meanSquaredCorrelation: correlations.reduce(0) { $0 + $1 * $1 } / Double(correlations.count))
    }
}
