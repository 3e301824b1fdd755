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

    /// Time left before the deadline.
    public var remainingTime: Duration { ContinuousClock.now.duration(to: deadline) }
}
