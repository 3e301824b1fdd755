import Foundation
import Scheduler

/// The parsed and validated `functions.yaml`: the service and every function it bundles.
public struct FunctionManifest: Sendable {
    /// The service name (becomes the Cloud Run service name).
    public var service: String
    /// Every function, in the order the manifest declares them.
    public var functions: [FunctionDeclaration]
    /// The env var that holds the admin key checked for functions with `auth: adminKey`.
    public var adminKeySecret: String
    /// The env var that holds the read-only viewer key accepted, besides the admin key, by `auth: viewerKey`.
    public var viewerKeySecret: String
    /// Settings for the deployed container (Cloud Run service limits).
    public var deployment: DeploymentSettings
    /// How long traces, events and audit records are kept (`retention:`).
    public var retention: RetentionPolicy

    /// Creates a manifest value.
    public init(
        service: String,
        functions: [FunctionDeclaration],
        adminKeySecret: String = "MODEL_ADMIN_API_KEY",
        viewerKeySecret: String = "RIDEEASE_VIEWER_KEY",
        deployment: DeploymentSettings = DeploymentSettings(),
        retention: RetentionPolicy = RetentionPolicy()
    ) {
        self.service = service
        self.functions = functions
        self.adminKeySecret = adminKeySecret
        self.viewerKeySecret = viewerKeySecret
        self.deployment = deployment
        self.retention = retention
    }

    /// The function named `name`, if the manifest declares one.
    public func function(named name: String) -> FunctionDeclaration? {
        functions.first { $0.name == name }
    }
}

/// One function of the bundle: the handler it runs, what triggers it and the limits it runs under.
public struct FunctionDeclaration: Sendable {
    /// The function's name, unique in the manifest (the key under `functions:`).
    public var name: String
    /// The catalog name of the handler the function runs.
    public var handler: String
    /// A one-line description for listings.
    public var description: String
    /// HTTP routes that invoke the function.
    public var httpTriggers: [HTTPTrigger]
    /// The cron schedule that invokes the function, if any.
    public var schedule: ScheduleTrigger?
    /// How long one invocation may run before it is cancelled (answered 504 over HTTP).
    public var timeout: Duration
    /// Who may call the function over HTTP.
    public var auth: AuthPolicy
    /// The largest request body accepted (answered 413 beyond it).
    public var maxRequestBytes: Int
    /// Environment variables the handler may read through its context.
    public var environment: [String]
    /// Secrets the handler may read through its context (from `NAME` or the file named by `NAME_FILE`).
    public var secrets: [String]

    /// Creates a declaration value.
    public init(
        name: String,
        handler: String,
        description: String = "",
        httpTriggers: [HTTPTrigger] = [],
        schedule: ScheduleTrigger? = nil,
        timeout: Duration = .seconds(60),
        auth: AuthPolicy = .none,
        maxRequestBytes: Int = 1 << 20,
        environment: [String] = [],
        secrets: [String] = []
    ) {
        self.name = name
        self.handler = handler
        self.description = description
        self.httpTriggers = httpTriggers
        self.schedule = schedule
        self.timeout = timeout
        self.auth = auth
        self.maxRequestBytes = maxRequestBytes
        self.environment = environment
        self.secrets = secrets
    }
}

/// An HTTP method and path template that invoke a function.
public struct HTTPTrigger: Sendable, Hashable, CustomStringConvertible {
    /// The upper-case HTTP method.
    public var method: String
    /// The path template, e.g. `/traces/{requestId}`.
    public var path: PathTemplate

    /// Creates a trigger.
    public init(method: String, path: PathTemplate) {
        self.method = method
        self.path = path
    }

    public var description: String { "\(method) \(path)" }
}

/// A cron schedule in a time zone, with the retry policy of Cloud Scheduler.
public struct ScheduleTrigger: Sendable {
    /// The cron expression as written in the manifest.
    public var expression: String
    /// The parsed schedule.
    public var cron: CronSchedule
    /// The IANA time zone the expression is read in.
    public var timeZone: TimeZone
    /// The zone's name as the manifest wrote it (Foundation reports `UTC` as `GMT`).
    public var timeZoneName: String
    /// How a failed scheduled run is retried.
    public var retry: ScheduleRetryPolicy

    /// Creates a schedule trigger.
    public init(
        expression: String,
        cron: CronSchedule,
        timeZone: TimeZone,
        timeZoneName: String? = nil,
        retry: ScheduleRetryPolicy = ScheduleRetryPolicy()
    ) {
        self.expression = expression
        self.cron = cron
        self.timeZone = timeZone
        self.timeZoneName = timeZoneName ?? timeZone.identifier
        self.retry = retry
    }
}

/// How many times a failed scheduled run is attempted again, and how long to wait in between (doubling).
public struct ScheduleRetryPolicy: Sendable, Hashable {
    /// Extra attempts after the first failure (Cloud Scheduler's `retryCount`).
    public var retryCount: Int
    /// The first wait between attempts.
    public var minBackoff: Duration
    /// The longest wait between attempts.
    public var maxBackoff: Duration

    /// Creates a retry policy; the default never retries.
    public init(retryCount: Int = 0, minBackoff: Duration = .seconds(5), maxBackoff: Duration = .seconds(3600)) {
        self.retryCount = retryCount
        self.minBackoff = minBackoff
        self.maxBackoff = maxBackoff
    }
}

/// Who may invoke a function over HTTP.
public enum AuthPolicy: String, Sendable, Hashable, CaseIterable {
    /// Anyone.
    case none
    /// Callers presenting the admin key in `x-api-key`.
    case adminKey
    /// Callers presenting the read-only viewer key or the admin key in `x-api-key` (traces name riders and where
    /// they went: readable by those allowed, not by whoever holds a request id).
    case viewerKey
}

/// Container-level settings the deployment plan turns into Cloud Run limits.
public struct DeploymentSettings: Sendable, Hashable {
    /// Memory limit, in Kubernetes quantity form (`512Mi`).
    public var memory: String
    /// CPU limit (`1`, `2`, `1000m`).
    public var cpu: String
    /// Requests one instance serves at once.
    public var concurrency: Int
    /// Instances kept warm.
    public var minInstances: Int
    /// Upper bound on instances.
    public var maxInstances: Int

    /// Creates deployment settings with Cloud Run's usual defaults.
    public init(
        memory: String = "512Mi",
        cpu: String = "1",
        concurrency: Int = 80,
        minInstances: Int = 0,
        maxInstances: Int = 10
    ) {
        self.memory = memory
        self.cpu = cpu
        self.concurrency = concurrency
        self.minInstances = minInstances
        self.maxInstances = maxInstances
    }
}
