import Foundation

/// The printed tables and the PASS/FAIL line of every goal.
struct Report {
    static let ratioGoal = 10.0
    static let cupedTolerance = 0.10
    static let falseDecisionGoal = 0.05

    let sizes: [Int]
    var goals: [String] = []

    static func integer(_ value: Double) -> String {
        let rounded = Int(value.rounded())
        var digits = String(rounded), grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return digits + grouped
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }

    mutating func pair(_ result: PairPower) {
        let gap = result.gap
        print("")
        print("\(result.pair.label): control \(result.pair.control), treatment \(result.pair.treatment)")
        print(
            String(
                format: "  truth: per-session booking %.4f vs %.4f, gap %+.2f pp (paired SE %.2f pp over riders)",
                gap.controlRate, gap.treatmentRate, gap.difference * 100, gap.standardError * 100))
        let columns = Analysis.allCases
        print("  power (share of correct significant decisions; — = not run, the design had saturated)")
        print("  " + Self.pad("riders", 9) + columns.map { Self.pad($0.label, 14) }.joined())
        for n in sizes {
            guard let row = result.power[n] else { continue }
            let cells = columns.map { Self.pad(row[$0].map { String(format: "%.3f", $0) } ?? "—", 14) }
            print("  " + Self.pad(Self.integer(Double(n)), 9) + cells.joined())
        }
        var needed: [Double: [Analysis: RidersNeeded]] = [:]
        for target in [0.8, 0.95] {
            var line = "  " + Self.pad("N@\(Int(target * 100))%", 9)
            for analysis in columns {
                let value = RidersNeeded(target: target, sizes: sizes) { result.power[$0]?[analysis] }
                needed[target, default: [:]][analysis] = value
                line += Self.pad(value.text, 14)
            }
            print(line)
        }
        for target in [0.8, 0.95] {
            guard let row = needed[target] else { continue }
            let pairs: [(String, Analysis, Analysis)] = [
                ("fixed horizon: A/B z ÷ sign test", .abRawFixed, .interleavingFixed),
                ("fixed horizon: CUPED ÷ sign test", .abCupedFixed, .interleavingFixed),
                ("always-valid:  A/B z ÷ interleaving", .abRawAlwaysValid, .interleavingAlwaysValid),
                ("always-valid:  CUPED ÷ interleaving", .abCupedAlwaysValid, .interleavingAlwaysValid),
            ]
            for (label, ab, interleaving) in pairs {
                let ratio = NeededRatio(row[ab]!, over: row[interleaving]!)
                print("  riders ratio at \(Int(target * 100)) % power, \(label): \(ratio.text)")
                if target == 0.8, ab == .abRawFixed || ab == .abRawAlwaysValid {
                    goals.append(
                        "\(ratio.verdict(goal: Self.ratioGoal))  A/B ÷ interleaving ≥ 10× riders for 80 % power, "
                            + "\(result.pair.label), \(label.prefix { $0 != ":" }): \(ratio.text)")
                }
            }
        }
    }

    /// CUPED's variance reduction across experiments against 1 − ρ², pooled over the sizes with ≥ `minimum` riders.
    mutating func cuped(_ results: [PairPower], minimum: Int) {
        print("")
        print("CUPED: variance of the difference across experiments, adjusted ÷ raw, against 1 − ρ² (ρ reported)")
        print("  " + ["pair", "riders", "observed", "1 − ρ²", "obs ÷ pred"].map { Self.pad($0, 12) }.joined())
        var ratios: [Double] = [], reductions: [(observed: Double, predicted: Double)] = []
        for result in results {
            for check in result.cuped {
                let cells = [
                    String(result.pair.label.prefix(10)), Self.integer(Double(check.riders)),
                    String(format: "%.4f", check.observedRatio), String(format: "%.4f", check.predictedRatio),
                    String(format: "%.3f", check.observedRatio / check.predictedRatio),
                ]
                print("  " + cells.map { Self.pad($0, 12) }.joined())
                if check.riders >= minimum {
                    ratios.append(check.observedRatio / check.predictedRatio)
                    reductions.append((1 - check.observedRatio, check.meanSquaredCorrelation))
                }
            }
        }
        guard !ratios.isEmpty else {
            goals.append("FAIL  CUPED variance within 10 % of 1 − ρ²: no size with CUPED values")
            return
        }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        let observedReduction = reductions.map(\.observed).reduce(0, +) / Double(reductions.count)
        let predictedReduction = reductions.map(\.predicted).reduce(0, +) / Double(reductions.count)
        print(
            String(
                format: "  pooled over %d sizes with ≥ %d riders: observed ÷ (1 − ρ²) = %.3f; "
                    + "reduction observed %.1f %% vs ρ² %.1f %%", ratios.count, minimum, mean,
                observedReduction * 100, predictedReduction * 100))
        let verdict = abs(mean - 1) <= Self.cupedTolerance ? "PASS" : "FAIL"
        goals.append(
            "\(verdict)  CUPED variance of the difference within 10 % of (1 − ρ²): ratio \(String(format: "%.3f", mean))"
                + String(
                    format: " (stricter reading, reduction vs ρ²: %.1f %% vs %.1f %%, %+.0f %% relative)",
                    observedReduction * 100, predictedReduction * 100,
                    (observedReduction / predictedReduction - 1) * 100))
    }

    mutating func aa(_ rows: [FalseDecisions], riders: Int) {
        print("")
        print("A/A at \(Self.integer(Double(riders))) riders: share of experiments that ever shipped or rolled back")
        for row in rows {
            let text =
                "\(Self.percent(row.share)) (\(row.falseDecisions)/\(row.experiments), 95 % upper "
                + "\(Self.percent(row.upperBound)))"
            print("  " + row.label.padding(toLength: 52, withPad: " ", startingAt: 0) + text)
            if row.isGoal {
                let verdict = row.share <= Self.falseDecisionGoal ? "PASS" : "FAIL"
                goals.append("\(verdict)  A/A false ship/rollback ≤ 5 %, \(row.label): \(Self.percent(row.share))")
            }
        }
    }

    func printGoals() {
        print("")
        print("Goals:")
        for goal in goals { print("  " + goal) }
    }
}
