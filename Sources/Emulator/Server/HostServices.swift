import FunctionRuntime
import Logging
import ServiceLifecycle

/// The services `rideease serve` runs together until SIGTERM or SIGINT: the bundle's background tasks, the
/// schedules (unless Cloud Scheduler drives them) and the HTTP server, registered last so that it stops first.
package enum HostServices {
    /// Runs until a signal, then drains: requests first, then the background tasks flush.
    package static func run(
        application: some Service, runtime: EmulatorRuntime, fireSchedules: Bool, logger: Logger
    ) async throws {
        var services: [any Service] = runtime.bundle.backgroundTasks.map(BackgroundTaskService.init)
        if !fireSchedules {
            logger.info("local schedules off: Cloud Scheduler or /_scheduler/jobs/{name}/run triggers jobs")
        } else if !runtime.scheduled.isEmpty {
            services.append(ScheduleService(scheduled: runtime.scheduled))
        }
        services.append(application)
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            ).withShutdownDeadlines()
        )
        try await group.run()
    }
}

extension ServiceGroupConfiguration {
    /// Cloud Run sends SIGTERM and kills the container 10 s later: drain within 8 s, then cancel within 1 s.
    fileprivate func withShutdownDeadlines() -> ServiceGroupConfiguration {
        var configuration = self
        configuration.maximumGracefulShutdownDuration = .seconds(8)
        configuration.maximumCancellationDuration = .seconds(1)
        return configuration
    }
}
