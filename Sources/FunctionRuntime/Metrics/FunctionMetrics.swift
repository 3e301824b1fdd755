import CoreMetrics
import Synchronization

/// The generic per-function metrics every invocation records, whatever the function does.
///
/// `rideease_function_invocations_total{function,trigger,code}` and
/// `rideease_function_duration_seconds{function}` (a histogram at the Prometheus edge).
/// Metric objects are created once per label set and cached: creating one per request would cost a
/// registry lookup under a lock on every call.
public final class FunctionMetrics: Sendable {
    /// Name of the invocation counter.
    public static let invocations = "rideease_function_invocations_total"
    /// Name of the duration histogram.
    public static let duration = "rideease_function_duration_seconds"

    private let factory: any MetricsFactory
    private let counters = Mutex<[String: Counter]>([:])
    private let timers: [String: Timer]

    /// Creates the metrics for `functionNames`, so every function's series exists from the start.
    public init(functionNames: [String], factory: any MetricsFactory) {
        self.factory = factory
        var timers: [String: Timer] = [:]
        for name in functionNames {
            timers[name] = Timer(label: Self.duration, dimensions: [("function", name)], factory: factory)
        }
        self.timers = timers
        for name in functionNames {
            _ = counter(function: name, trigger: "http", code: 200)
        }
    }

    /// Records one finished invocation.
    public func record(function: String, trigger: String, code: Int, duration: Duration) {
        counter(function: function, trigger: trigger, code: code).increment()
        timers[function]?.recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
    }

    private func counter(function: String, trigger: String, code: Int) -> Counter {
        let key = "\(function)|\(trigger)|\(code)"
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = Counter(
                label: Self.invocations,
                dimensions: [("function", function), ("trigger", trigger), ("code", String(code))],
                factory: factory
            )
            cache[key] = counter
            return counter
        }
    }
}
