import FunctionRuntime
import ServiceLifecycle

/// Fires the manifest's schedules for the life of the server; stops taking new fire times on graceful shutdown.
struct ScheduleService: Service {
    let scheduled: ScheduledFunctions

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await scheduled.runner.run() }
        } catch is CancellationError {
            // Shutting down: a run in progress has recorded its outcome.
        }
    }
}
