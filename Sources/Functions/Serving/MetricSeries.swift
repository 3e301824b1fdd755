import CoreMetrics
import Synchronization

/// Counters and recorders made on first use, once per label and dimensions: for series whose label values are
/// only known at run time (an experiment created through the admin API, the version put in shadow).
final class MetricSeries: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[String: Counter]>([:])
    private let recorders = Mutex<[String: Recorder]>([:])

    init(factory: any MetricsFactory) { self.factory = factory }

    func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        counters.withLock { counters in
            let key = Self.key(label, dimensions)
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
    }

    /// A histogram (`aggregate`) or a gauge.
    func recorder(_ label: String, _ dimensions: [(String, String)], aggregate: Bool = true) -> Recorder {
        recorders.withLock { recorders in
            let key = Self.key(label, dimensions) + (aggregate ? "" : "|gauge")
            if let recorder = recorders[key] { return recorder }
            let recorder = Recorder(label: label, dimensions: dimensions, aggregate: aggregate, factory: factory)
            recorders[key] = recorder
            return recorder
        }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
    }
}
