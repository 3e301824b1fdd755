/// The help text and histogram buckets of one metric family.
///
/// The swift-metrics API carries neither, so each module publishes descriptions of the metrics it creates and
/// the host's Prometheus edge applies them: every family gets `# HELP`, and histograms get buckets in their unit.
public struct MetricDescription: Sendable, Hashable {
    /// The metric family name.
    public var name: String
    /// The `# HELP` text.
    public var help: String
    /// Bucket upper bounds for value histograms (in the metric's unit) or duration histograms (in seconds).
    public var buckets: [Double]?

    /// Creates a description.
    public init(name: String, help: String, buckets: [Double]? = nil) {
        self.name = name
        self.help = help
        self.buckets = buckets
    }
}

extension FunctionMetrics {
    /// The families ``FunctionMetrics`` creates.
    public static let descriptions: [MetricDescription] = [
        MetricDescription(name: invocations, help: "Function invocations by function, trigger and HTTP status code."),
        MetricDescription(
            name: duration,
            help: "Function invocation duration in seconds.",
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
        ),
        MetricDescription(
            name: ScheduledFunctions.runsMetric, help: "Scheduled function runs by job and outcome, after retries."),
    ]
}
