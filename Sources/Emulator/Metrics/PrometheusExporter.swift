import CoreMetrics
import FunctionRuntime
import Prometheus

/// The Prometheus edge: a swift-metrics factory that writes into one registry with the help texts and buckets
/// the modules describe, and the exposition of that registry for `GET /metrics`.
package struct PrometheusExporter: MetricsFactory {
    /// The registry this exporter writes to and exposes.
    package let registry: PrometheusCollectorRegistry
    private let descriptions: [String: MetricDescription]
    private static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private let uptime: Prometheus.Gauge
    private let started = ContinuousClock.now

    package init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), descriptions: [MetricDescription]
    ) {
        self.registry = registry
        self.descriptions = Dictionary(descriptions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        uptime = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "rideease_service_uptime_seconds", unitName: "",
                helpText: "Seconds since this instance started."))
    }

    /// The text exposition format, version 0.0.4.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The current exposition.
    package func exposition() -> [UInt8] {
        let elapsed = started.duration(to: .now)
        uptime.set(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        return registry.emitToBuffer()
    }

    /// The full name with its help text; the unit is already part of RideEase's metric names.
    private func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: descriptions[name]?.help ?? "")
    }

    private func buckets(_ name: String) -> [Double] { descriptions[name]?.buckets ?? Self.defaultBuckets }

    package func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    package func makeFloatingPointCounter(
        label: String, dimensions: [(String, String)]
    ) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    package func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets(label))
    }

    package func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    package func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(
            descriptor: descriptor(label),
            labels: dimensions,
            buckets: buckets(label).map { Duration.nanoseconds(Int64($0 * 1e9)) }
        )
    }

    package func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    package func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    package func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    package func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    package func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
