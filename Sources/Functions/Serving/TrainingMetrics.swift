import CoreMetrics
import FunctionRuntime
import Recommender

/// Training freshness and quality as gauges, from the newest registered model — set at startup (so a restarted
/// instance reports them too) and after every training run this instance performs.
struct TrainingMetrics: Sendable {
    static let lastSuccess = "rideease_training_last_success_timestamp_seconds"
    static let duration = "rideease_training_duration_seconds"
    static let ndcg = "rideease_training_last_ndcg_at_10"

    static let descriptions: [MetricDescription] = [
        MetricDescription(name: lastSuccess, help: "Unix time the newest registered model was created."),
        MetricDescription(name: duration, help: "Seconds the newest registered model's final fit took."),
        MetricDescription(name: ndcg, help: "Offline NDCG@10 of the newest registered model on its test split."),
    ]

    private let lastSuccessGauge: Gauge
    private let durationGauge: Gauge
    private let ndcgGauge: Gauge

    init(factory: any MetricsFactory) {
        lastSuccessGauge = Gauge(label: Self.lastSuccess, dimensions: [], factory: factory)
        durationGauge = Gauge(label: Self.duration, dimensions: [], factory: factory)
        ndcgGauge = Gauge(label: Self.ndcg, dimensions: [], factory: factory)
    }

    func record(_ model: ModelMetadata) {
        lastSuccessGauge.record(model.createdAt.timeIntervalSince1970)
        durationGauge.record(model.trainingSeconds)
        ndcgGauge.record(model.offlineMetrics.overall.ndcg)
    }
}
