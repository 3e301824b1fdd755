import CoreMetrics
import Foundation
import Logging
import Scheduler
import Storage

/// What a bundle's handlers are built from: injected once at startup.
public struct HandlerDependencies: Sendable {
    /// The shared object store.
    public var storage: any ObjectStore
    /// The clock (virtual in tests).
    public var clock: any WallClock
    /// Where handlers create their metric objects (Prometheus at the edge, a test factory in tests).
    public var metricsFactory: any MetricsFactory
    /// The process logger.
    public var logger: Logger
    /// What each handler may read at construction: the variables its functions declare, nothing else.
    public var configuration: HandlerConfiguration
    /// When the process started, for uptime.
    public var startedAt: Date
    /// This process's name in leases and segment owners (unique per process).
    public var instanceId: String
    /// Whether the handlers behave as in the serving service (`rideease serve`, and the commands that emulate its
    /// triggers: `invoke`, `jobs run`) rather than as the training job (`rideease train`, the Cloud Run Job), which
    /// does work the service refuses (city-sized training).
    public var runsInService: Bool
    /// How long traces, events and audit records are kept (the manifest's `retention:`).
    public var retention: RetentionPolicy

    /// Creates dependencies.
    public init(
        storage: any ObjectStore,
        clock: any WallClock,
        metricsFactory: any MetricsFactory,
        logger: Logger,
        configuration: HandlerConfiguration,
        startedAt: Date = Date(),
        instanceId: String = "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)",
        runsInService: Bool = true,
        retention: RetentionPolicy = RetentionPolicy()
    ) {
        self.retention = retention
        self.instanceId = instanceId
        self.runsInService = runsInService
        self.storage = storage
        self.clock = clock
        self.metricsFactory = metricsFactory
        self.logger = logger
        self.configuration = configuration
        self.startedAt = startedAt
    }
}

/// The handlers a bundle provides, by catalog name, and the background work they need.
public struct FunctionBundle: Sendable {
    /// Handler values by the name `functions.yaml` refers to them with.
    public var handlers: [String: any FunctionHandler]
    /// Long-running tasks the host runs beside the server and flushes on shutdown.
    public var backgroundTasks: [any BackgroundTask]

    /// Creates a bundle.
    public init(handlers: [String: any FunctionHandler], backgroundTasks: [any BackgroundTask] = []) {
        self.handlers = handlers
        self.backgroundTasks = backgroundTasks
    }
}
