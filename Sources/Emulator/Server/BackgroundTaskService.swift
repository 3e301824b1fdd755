import FunctionRuntime
import Offload
import ServiceLifecycle

/// Runs a bundle's ``BackgroundTask`` inside the service group: until graceful shutdown, then one flush.
///
/// The group shuts services down in reverse order and the HTTP server is registered last, so by the time a
/// task flushes, every in-flight request has finished and can no longer add to its buffer.
///
/// Tasks run on `Offload.cpu`, not on the event loops that serve requests: encoding a segment or ten seconds of
/// experiment tallies is CPU work of milliseconds that no request should wait behind.
struct BackgroundTaskService: Service {
    let task: any BackgroundTask

    func run() async throws {
        try await withTaskExecutorPreference(Offload.cpu) {
            do {
                try await cancelWhenGracefulShutdown { try await task.run() }
            } catch is CancellationError {
                // Cancelled by graceful shutdown: flush below.
            }
            await task.shutdown()
        }
    }
}
