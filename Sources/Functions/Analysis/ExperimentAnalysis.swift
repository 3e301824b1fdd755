import Experiments
import Foundation
import FunctionRuntime

/// An experiment's window read from its hourly tallies and analysed hour by hour: the timeline of cumulative
/// counts, and the summary at its end.
///
/// The window is `windowHours` UTC hours ending with the current one. Each hour's end is one look of the
/// always-valid test over the counts cumulated since the window start, and the running minimum of its p-value is
/// carried from look to look. The sequence is thus recomputed from durable tallies on every request — the same
/// answer on every instance and every poll, whoever looked when — instead of depending on a stored state that
/// only advances when someone happens to poll. Choose a window that covers the experiment (up to 720 hours) for
/// the sequential guarantee to cover all its data.
struct ExperimentAnalysis {
    typealias Timeline = ExperimentTimeline
    typealias Point = ExperimentTimeline.Point
    typealias VariantPoint = ExperimentTimeline.VariantPoint

    let timeline: Timeline
    let summary: ExperimentSummary

    /// Validates the request's experiment id and `windowHours`, reads the tallies and analyses them.
    static func load(
        _ request: FunctionRequest, serving: ServingContext, tallies: TallyStore
    ) async throws -> ExperimentAnalysis {
        let experimentId = request.pathParameters["experimentId"] ?? ""
        guard experimentId == serving.experiment.id else {
            throw FunctionError.notFound(
                "no experiment \"\(experimentId)\"; this service runs \"\(serving.experiment.id)\"")
        }
        let hoursText = request.query["windowHours"] ?? "24"
        guard let hours = Int(hoursText), AnalysisWindow.allowedHours.contains(hours) else {
            throw FunctionError.invalidArgument(
                "windowHours must be a whole number from 1 to 720, not \"\(hoursText)\"")
        }
        let now = serving.clock.now()
        let hourStarts = windowHours(hours, endingAt: now)
        let read: [Date: HourTally]
        do {
            read = try await tallies.read(hours: hourStarts, now: now)
        } catch {
            serving.metrics.storageError(operation: "lookup")
            throw FunctionError.unavailable("experiment data cannot be read right now; retry", retryAfterSeconds: 5)
        }
        do {
            return try analyse(
                definition: serving.experiment, hours: hourStarts.map { read[$0] ?? HourTally(hourStart: $0) },
                now: now)
        } catch {
            throw FunctionError.failedPrecondition(error.description)
        }
    }

    /// The starts of the `count` UTC hours ending with the one holding `now`, oldest first.
    static func windowHours(_ count: Int, endingAt now: Date) -> [Date] {
        let current = HourTally.hourStart(of: now)
        return (0..<count).reversed().map { current.addingTimeInterval(-Double($0) * 3600) }
    }

    /// Folds `hours` (oldest first, one per hour of the window) into the timeline and the final summary.
    static func analyse(
        definition: ExperimentDefinition, hours: [HourTally], now: Date, policy: DecisionPolicy = DecisionPolicy()
    ) throws(ExperimentsError) -> ExperimentAnalysis {
        let names = definition.variantNames
        var cumulative = Dictionary(uniqueKeysWithValues: names.map { ($0, VariantTally()) })
        var state = AlwaysValidState()
        var points: [Point] = []
        var summary: ExperimentSummary?
        let start = hours.first?.hourStart ?? HourTally.hourStart(of: now)
        for (index, hour) in hours.enumerated() {
            for name in names { cumulative[name]?.merge(hour.variants[name] ?? VariantTally()) }
            let end = min(hour.hourStart.addingTimeInterval(3600), now)
            let counts = try names.map { (name) throws(ExperimentsError) in
                let tally = cumulative[name] ?? VariantTally()
                // A conversion counts when its rider was exposed to the same variant within the window.
                return try ConversionCounts(
                    variant: name, users: tally.exposed.count,
                    conversions: tally.converted.intersectionCount(tally.exposed))
            }
            let guardrails = names.map { name in cumulative[name].flatMap(Self.guardrail) }
            let look = try ExperimentDecision.evaluate(
                definition: definition, window: try AnalysisWindow(hours: index + 1, start: start, end: end),
                counts: counts, guardrails: (guardrails.first ?? nil, guardrails.dropFirst().first ?? nil),
                previousState: state, policy: policy)
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
                    alwaysValidPValue: look.test.alwaysValidPValue, srmPValue: look.srm.value?.pValue,
                    decision: look.decision))
        }
        guard let summary else { throw .invalidParameter(name: "windowHours", value: 0, expected: "at least 1") }
        return ExperimentAnalysis(
            timeline: Timeline(experimentId: definition.id, variants: names, points: points), summary: summary)
    }

    private static func guardrail(_ tally: VariantTally) -> GuardrailMetrics? {
        guard tally.requests + tally.errors > 0 else { return nil }
        return GuardrailMetrics(
            requests: tally.requests + tally.errors, errors: tally.errors, p95LatencyMs: tally.latency.quantile(0.95))
    }
}
