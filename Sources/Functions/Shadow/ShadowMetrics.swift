import CoreMetrics
import FunctionRuntime

/// The shadow's Prometheus families. Every series of the variants known at start exists from the first scrape (at
/// 0), so the alert rules' ratios never divide by a missing series; variants of experiments created later get
/// theirs on first use.
final class ShadowMetrics: Sendable {
    static let requests = "rideease_shadow_requests_total"
    static let scoring = "rideease_shadow_scoring_seconds"
    static let jaccard = "rideease_shadow_jaccard"
    static let rbo = "rideease_shadow_rbo"
    static let topItemChanged = "rideease_shadow_top_item_changed_total"
    static let active = "rideease_shadow_active"

    /// What became of a sampled request.
    static let outcomes = ["scored", "error", "dropped"]
    static let agreementBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]

    static let descriptions: [MetricDescription] = [
        MetricDescription(
            name: requests,
            help: "Requests sampled for the shadow model by variant and outcome (scored, error, dropped when behind)."),
        MetricDescription(
            name: scoring, help: "Time the shadow model took to score a request, off the response path.",
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]),
        MetricDescription(
            name: jaccard, help: "Jaccard@k between the served and the shadow list of a request.",
            buckets: agreementBuckets),
        MetricDescription(
            name: rbo, help: "Rank-biased overlap (p = 0.9) between the served and the shadow list of a request.",
            buckets: agreementBuckets),
        MetricDescription(
            name: topItemChanged, help: "Shadowed requests whose top item differs from the served one."),
        MetricDescription(name: active, help: "1 for the model version running in the shadow, 0 once it ended."),
    ]

    private let series: MetricSeries

    init(variants: [String], factory: any MetricsFactory) {
        series = MetricSeries(factory: factory)
        for variant in variants {
            for outcome in Self.outcomes { _ = counter(Self.requests, [("variant", variant), ("outcome", outcome)]) }
            _ = counter(Self.topItemChanged, [("variant", variant)])
            for name in [Self.scoring, Self.jaccard, Self.rbo] { _ = recorder(name, [("variant", variant)]) }
        }
    }

    /// Counts one shadowed request's outcome.
    func record(_ outcome: ShadowOutcome) {
        let variant = [("variant", outcome.variant)]
        switch outcome.result {
        case .compared(let jaccard, let rbo, let changed):
            counter(Self.requests, variant + [("outcome", "scored")]).increment()
            recorder(Self.scoring, variant).record(outcome.latencyMs / 1000)
            recorder(Self.jaccard, variant).record(jaccard)
            recorder(Self.rbo, variant).record(rbo)
            if changed { counter(Self.topItemChanged, variant).increment() }
        case .failed:
            counter(Self.requests, variant + [("outcome", "error")]).increment()
            recorder(Self.scoring, variant).record(outcome.latencyMs / 1000)
        case .dropped:
            counter(Self.requests, variant + [("outcome", "dropped")]).increment()
        }
    }

    /// Moves `rideease_shadow_active` to the version now in the shadow (`nil`: none); the previous one drops to 0.
    func shadowing(previous: String?, next: String?) {
        guard previous != next else { return }
        if let previous { series.recorder(Self.active, [("version", previous)], aggregate: false).record(0) }
        if let next { series.recorder(Self.active, [("version", next)], aggregate: false).record(1) }
    }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        series.counter(label, dimensions)
    }

    private func recorder(_ label: String, _ dimensions: [(String, String)]) -> Recorder {
        series.recorder(label, dimensions)
    }
}
