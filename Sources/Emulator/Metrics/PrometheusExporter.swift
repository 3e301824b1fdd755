import CoreMetrics
import FunctionRuntime
import Offload
import Prometheus
import Synchronization

/// The Prometheus edge: a swift-metrics factory that writes into one registry with the help texts and buckets
/// the modules describe, and the exposition of that registry for `GET /metrics`.
package struct PrometheusExporter: MetricsFactory {
    /// The registry this exporter writes to and exposes.
    package let registry: PrometheusCollectorRegistry
    private let descriptions: [String: MetricDescription]
    private static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private let uptime: Prometheus.Gauge
    private let started = ContinuousClock.now
    private let offload: OffloadPoolMetrics

    /// - Parameter pools: the offload pools whose queues `/metrics` shows, by their `pool` label.
    package init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), descriptions: [MetricDescription],
        pools: [(label: String, pool: OffloadPool)] = Offload.pools
    ) {
        self.registry = registry
        self.descriptions = Dictionary(descriptions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        uptime = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "rideease_service_uptime_seconds", unitName: "",
                helpText: "Seconds since this instance started."))
        offload = OffloadPoolMetrics(registry: registry, pools: pools)
    }

    /// The text exposition format, version 0.0.4.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The current exposition.
    package func exposition() -> [UInt8] {
        let elapsed = started.duration(to: .now)
        uptime.set(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        offload.update()
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

/// The offload pools' counters (``OffloadStatistics``), copied into the registry at each scrape like the uptime: the
/// pools know nothing of metrics, and reading four atomics per pool costs nothing between scrapes.
private final class OffloadPoolMetrics: Sendable {
    private struct Series: Sendable {
        let pool: OffloadPool
        let queueDepth: Prometheus.Gauge
        let running: Prometheus.Gauge
        let threads: Prometheus.Gauge
        let jobs: Prometheus.Counter
    }

    private let series: [Series]
    /// The completed-job count each `jobs` counter already holds; a counter only increments, so a scrape adds the
    /// difference. Under a lock so two concurrent scrapes do not both add it.
    private let counted: Mutex<[Int]>

    init(registry: PrometheusCollectorRegistry, pools: [(label: String, pool: OffloadPool)]) {
        func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        }
        let queueDepth = descriptor("rideease_offload_queue_depth", "Offload pool jobs waiting for a thread.")
        let running = descriptor("rideease_offload_running", "Offload pool jobs running on a thread now.")
        let threads = descriptor("rideease_offload_threads", "Threads of the offload pool.")
        let jobs = descriptor("rideease_offload_jobs_total", "Offload pool jobs finished.")
        series = pools.map { label, pool in
            let labels = [("pool", label)]
            return Series(
                pool: pool,
                queueDepth: registry.makeGauge(descriptor: queueDepth, labels: labels),
                running: registry.makeGauge(descriptor: running, labels: labels),
                threads: registry.makeGauge(descriptor: threads, labels: labels),
                jobs: registry.makeCounter(descriptor: jobs, labels: labels))
        }
        counted = Mutex([Int](repeating: 0, count: pools.count))
    }

    func update() {
        counted.withLock { counted in
            for (index, series) in series.enumerated() {
                let statistics = series.pool.statistics
                series.queueDepth.set(Double(statistics.queued))
                series.running.set(Double(statistics.running))
                series.threads.set(Double(statistics.threads))
                series.jobs.increment(by: Int64(statistics.completed - counted[index]))
                counted[index] = statistics.completed
            }
        }
    }
}
