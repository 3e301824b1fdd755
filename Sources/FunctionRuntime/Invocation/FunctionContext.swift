import Foundation
import Logging
import Scheduler
import Storage

/// What a handler may use during one invocation.
public struct FunctionContext: Sendable {
    /// The manifest name of the running function.
    public var functionName: String
    /// The invocation's request id.
    public var requestId: String
    /// A logger carrying `function` and `requestId` metadata.
    public var logger: Logger
    /// The bundle's object store.
    public var storage: any ObjectStore
    /// The clock to read time from (virtual in tests).
    public var clock: any WallClock
    /// The environment variables the function declared, and only those.
    public var configuration: [String: String]
    /// The secrets the function declared, and only those.
    public var secrets: [String: String]
    /// When the runtime will cancel the invocation.
    public var deadline: ContinuousClock.Instant
    /// Where a long-running handler reports its steps, one line each: the operator's terminal when a CLI command
    /// invokes the function; `nil` otherwise, and the handler logs them.
    public var progress: (@Sendable (String) -> Void)?
    /// Whether log lines may name riders (`LOG_RIDER_IDS=true`, honoured only off Cloud Run): see ``riderId(_:)``.
    public var logsRiderIds = false

    /// Creates a context; the runtime does this for every invocation, tests through ``FunctionContext/test``.
    public init(
        functionName: String,
        requestId: String,
        logger: Logger,
        storage: any ObjectStore,
        clock: any WallClock,
        configuration: [String: String] = [:],
        secrets: [String: String] = [:],
        deadline: ContinuousClock.Instant,
        progress: (@Sendable (String) -> Void)? = nil
    ) {
        self.functionName = functionName
        self.requestId = requestId
        self.logger = logger
        self.storage = storage
        self.clock = clock
        self.configuration = configuration
        self.secrets = secrets
        self.deadline = deadline
        self.progress = progress
    }

    /// Log metadata naming the rider `userId`, or none: a log line carries a rider's id only where a developer
    /// asked for it on their own machine, never by default and never on Cloud Run (logs outlive erasure requests and
    /// are read by more people than the data).
    public func riderId(_ userId: String) -> Logger.Metadata {
        logsRiderIds ? ["userId": .string(userId)] : [:]
    }

    /// Time left before the deadline.
    public var remainingTime: Duration { ContinuousClock.now.duration(to: deadline) }
}
