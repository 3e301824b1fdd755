import Experiments
import Foundation

/// The A/B analysis of an experiment's window, hour by hour: cumulative riders and conversions per variant, the
/// z-test, the always-valid test and the decision at each hour's end — with CUPED, when the experiment uses it,
/// adjusting the estimate that the always-valid test and the decision use.
enum ABAnalysis {
    typealias Point = ExperimentTimeline.Point
    typealias VariantPoint = ExperimentTimeline.VariantPoint

    /// Folds `hours` (oldest first, one per hour of the window) into the timeline and the final summary.
    static func analyse(
        record: ExperimentRecord, hours: [HourTally], now: Date,
        covariates: [UInt64: PreExposureCovariates.Covariate] = [:], policy: DecisionPolicy = DecisionPolicy()
    ) throws(ExperimentsError) -> ExperimentAnalysis {
        let definition = try record.definition
        let names = definition.variantNames
        var cumulative = Dictionary(uniqueKeysWithValues: names.map { ($0, VariantTally()) })
        var cuped = CupedTracker(variantNames: names, covariates: covariates)
        var state = AlwaysValidState()
        var points: [Point] = []
        var summary: ExperimentSummary?
        let start = hours.first?.hourStart ?? HourTally.hourStart(of: now)
        for (index, hour) in hours.enumerated() {
            for name in names { cumulative[name]?.merge(hour.variants[name] ?? VariantTally()) }
            cuped.add(hour)
            let end = min(hour.hourStart.addingTimeInterval(3600), now)
            let counts = try names.map { (name) throws(ExperimentsError) in
                let tally = cumulative[name] ?? VariantTally()
                // A conversion counts when its rider was exposed to the same variant within the window.
                return try ConversionCounts(
                    variant: name, users: tally.exposed.count,
                    conversions: tally.converted.intersectionCount(tally.exposed))
            }
            let guardrails = names.map { name in cumulative[name].flatMap(Self.guardrail) }
            let adjustment = record.cuped.map { settings in
                (control: cuped.moments[0], treatment: cuped.moments[1], preWindowDays: settings.preWindowDays)
            }
            let look = try ExperimentDecision.evaluate(
                definition: definition, window: try AnalysisWindow(hours: index + 1, start: start, end: end),
                counts: counts, guardrails: (guardrails.first ?? nil, guardrails.dropFirst().first ?? nil),
                previousState: state, policy: policy, cuped: names.count == 2 ? adjustment : nil)
            state = look.alwaysValidState
            summary = look
            points.append(
                Point(
                    hourEnding: end,
                    variants: counts.map {
                        VariantPoint(
                            variant: $0.variant, users: $0.users, conversions: $0.conversions,
                            conversionRate: $0.rate)
                    },
                    interleaving: nil,
                    cuped: look.cuped?.value.map { ExperimentTimeline.CupedPoint(raw: $0.raw, adjusted: $0.adjusted) },
                    alwaysValidPValue: look.test.alwaysValidPValue, srmPValue: look.srm.value?.pValue,
                    decision: look.decision))
        }
        guard let summary else { throw .invalidParameter(name: "windowHours", value: 0, expected: "at least 1") }
        return ExperimentAnalysis(
            timeline: ExperimentTimeline(experimentId: definition.id, design: .ab, variants: names, points: points),
            report: .ab(summary))
    }

    private static func guardrail(_ tally: VariantTally) -> GuardrailMetrics? {
        guard tally.requests + tally.errors > 0 else { return nil }
        return GuardrailMetrics(
            requests: tally.requests + tally.errors, errors: tally.errors, p95LatencyMs: tally.latency.quantile(0.95))
    }
}
