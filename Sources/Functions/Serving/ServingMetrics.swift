import CoreMetrics
import FunctionRuntime
import Recommender
import Synchronization

/// The serving metrics, with the original demo's names and labels, created once with every label value known at
/// start (the seed experiment's variants and `interleaved`) so each series exists (at 0) from the first scrape —
/// alert expressions never see a missing series. Experiments created later through the admin API get their series
/// on first use.
final class ServingMetrics: Sendable {
    static let latency = "rideease_prediction_latency_ms"
    static let requests = "rideease_prediction_requests_total"
    static let errors = "rideease_prediction_errors_total"
    static let fallbacks = "rideease_prediction_fallback_total"
    static let modelInfo = "rideease_model_info"
    static let switches = "rideease_model_switches_total"
    static let loadFailures = "rideease_model_load_failures_total"
    static let storageErrors = "rideease_storage_errors_total"
    static let traceDepth = "rideease_trace_buffer_depth"
    static let traceDropped = "rideease_trace_dropped_total"
    static let exposures = "rideease_experiment_exposures_total"
    static let conversions = "rideease_experiment_conversions_total"

    /// Where a request failed.
    enum Stage: String, CaseIterable {
        case validation, assignment, model, trace, storage
    }

    static let storageOperations = ["refresh", "trace", "switch", "lookup"]

    /// Help texts and buckets for the Prometheus edge.
    static let descriptions: [MetricDescription] = [
        MetricDescription(
            name: latency, help: "Recommendation latency in milliseconds by A/B variant.",
            buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500]),
        MetricDescription(name: requests, help: "Recommendation requests by variant and status (success or error)."),
        MetricDescription(name: errors, help: "Recommendation errors by pipeline stage."),
        MetricDescription(name: fallbacks, help: "Recommendations answered by the popularity fallback (cold start)."),
        MetricDescription(name: modelInfo, help: "1 for the model version serving each variant."),
        MetricDescription(name: switches, help: "Model switches by target and result."),
        MetricDescription(name: loadFailures, help: "Model versions that failed to load or pass the smoke check."),
        MetricDescription(name: storageErrors, help: "Object storage failures by operation."),
        MetricDescription(name: traceDepth, help: "Prediction traces buffered but not yet written."),
        MetricDescription(name: traceDropped, help: "Prediction traces dropped because the buffer was full."),
        MetricDescription(name: exposures, help: "Recommendation responses by experiment and variant."),
        MetricDescription(name: conversions, help: "Conversions attributed to an experiment variant."),
    ]

    private let factory: any MetricsFactory
    private let experimentId: String
    private let latencies: [String: Recorder]
    private let requestCounters: [String: Counter]
    private let stageCounters: [Stage: Counter]
    private let fallbackCounters: [String: Counter]
    private let exposureCounters: [String: Counter]
    private let conversionCounters: [String: Counter]
    private let loadFailureCounters: [String: Counter]
    private let storageCounters: [String: Counter]
    private let switchCounters: [String: Counter]
    private let depth: Recorder
    private let dropped: Counter
    private let info = Mutex<[String: Recorder]>([:])
    /// Series whose label values were not known at start.
    private let late: MetricSeries

    init(variants: [String], experimentId: String, factory: any MetricsFactory) {
        self.factory = factory
        self.experimentId = experimentId
        late = MetricSeries(factory: factory)
        func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
            Counter(label: label, dimensions: dimensions, factory: factory)
        }
        var latencies: [String: Recorder] = [:]
        var requestCounters: [String: Counter] = [:]
        var fallbackCounters: [String: Counter] = [:]
        var exposureCounters: [String: Counter] = [:]
        var conversionCounters: [String: Counter] = [:]
        var loadFailureCounters: [String: Counter] = [:]
        for variant in variants + [Recommend.interleavedVariant] {
            latencies[variant] = Recorder(
                label: Self.latency, dimensions: [("variant", variant)], aggregate: true, factory: factory)
            fallbackCounters[variant] = counter(Self.fallbacks, [("variant", variant)])
            exposureCounters[variant] = counter(Self.exposures, [("experiment", experimentId), ("variant", variant)])
            conversionCounters[variant] = counter(
                Self.conversions, [("experiment", experimentId), ("variant", variant)])
            loadFailureCounters[variant] = counter(Self.loadFailures, [("variant", variant)])
        }
        for variant in variants + [Recommend.interleavedVariant, "none"] {
            for status in ["success", "error"] {
                requestCounters["\(variant)|\(status)"] = counter(
                    Self.requests, [("variant", variant), ("status", status)])
            }
        }
        var switchCounters: [String: Counter] = [:]
        for target in ["all"] + variants {
            for result in ["success", "failure"] {
                switchCounters["\(target)|\(result)"] = counter(
                    Self.switches, [("target", target), ("result", result)])
            }
        }
        self.latencies = latencies
        self.requestCounters = requestCounters
        self.fallbackCounters = fallbackCounters
        self.exposureCounters = exposureCounters
        self.conversionCounters = conversionCounters
        self.loadFailureCounters = loadFailureCounters
        self.switchCounters = switchCounters
        stageCounters = Dictionary(
            uniqueKeysWithValues: Stage.allCases.map { ($0, counter(Self.errors, [("stage", $0.rawValue)])) })
        storageCounters = Dictionary(
            uniqueKeysWithValues: Self.storageOperations.map { ($0, counter(Self.storageErrors, [("operation", $0)])) })
        depth = Recorder(label: Self.traceDepth, dimensions: [], aggregate: false, factory: factory)
        dropped = counter(Self.traceDropped, [])
    }

    func succeeded(experimentId: String, variant: String, milliseconds: Double, fallback: Bool) {
        (latencies[variant] ?? lateRecorder(Self.latency, [("variant", variant)])).record(milliseconds)
        (requestCounters["\(variant)|success"]
            ?? lateCounter(Self.requests, [("variant", variant), ("status", "success")]))
            .increment()
        let exposures =
            (experimentId == self.experimentId ? exposureCounters[variant] : nil)
            ?? lateCounter(Self.exposures, [("experiment", experimentId), ("variant", variant)])
        exposures.increment()
        if fallback { (fallbackCounters[variant] ?? lateCounter(Self.fallbacks, [("variant", variant)])).increment() }
    }

    func failed(variant: String?, stage: Stage) {
        let name = variant ?? "none"
        (requestCounters["\(name)|error"] ?? lateCounter(Self.requests, [("variant", name), ("status", "error")]))
            .increment()
        stageCounters[stage]?.increment()
    }

    func converted(experimentId: String, variant: String) {
        ((experimentId == self.experimentId ? conversionCounters[variant] : nil)
            ?? lateCounter(Self.conversions, [("experiment", experimentId), ("variant", variant)])).increment()
    }

    func modelLoadFailure(variant: String) {
        (loadFailureCounters[variant] ?? lateCounter(Self.loadFailures, [("variant", variant)])).increment()
    }

    /// The counter of a label value first seen at run time, created once.
    private func lateCounter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        late.counter(label, dimensions)
    }

    private func lateRecorder(_ label: String, _ dimensions: [(String, String)]) -> Recorder {
        late.recorder(label, dimensions)
    }

    func storageError(operation: String) { storageCounters[operation]?.increment() }

    func switched(target: String, success: Bool) {
        let result = success ? "success" : "failure"
        (switchCounters["\(target)|\(result)"] ?? lateCounter(Self.switches, [("target", target), ("result", result)]))
            .increment()
    }

    func traceBuffer(depth value: Int, newlyDropped: Int) {
        depth.record(value)
        if newlyDropped > 0 { dropped.increment(by: newlyDropped) }
    }

    /// Moves `rideease_model_info` from the previous versions to the new ones (old series drop to 0).
    func served(previous: [String: LoadedModel], next: [String: LoadedModel]) {
        info.withLock { gauges in
            for (variant, loaded) in previous where next[variant]?.metadata.version != loaded.metadata.version {
                gauges["\(variant)|\(loaded.metadata.version)"]?.record(0)
            }
            for (variant, loaded) in next {
                let key = "\(variant)|\(loaded.metadata.version)"
                let gauge =
                    gauges[key]
                    ?? Recorder(
                        label: Self.modelInfo,
                        dimensions: [("variant", variant), ("version", loaded.metadata.version.description)],
                        aggregate: false, factory: factory)
                gauges[key] = gauge
                gauge.record(1)
            }
        }
    }
}
