import Foundation

/// What started a run.
public enum JobTrigger: String, Sendable, Hashable, Codable {
    /// The job's schedule reached a fire time.
    case schedule
    /// A user asked for a run now (`rideease invoke`, the console).
    case manual
}

/// What the runner hands the job's code: which job, for which fire time, and why.
public struct JobInvocation: Sendable, Hashable {
    /// The job's name.
    public var jobName: String
    /// The fire time this run is for; for a manual run, when it was requested.
    public var scheduledTime: Date
    /// Schedule or manual.
    public var trigger: JobTrigger
    /// The run's id, as recorded in the job's history (for logs and traces).
    public var runID: String

    /// Creates an invocation value.
    public init(jobName: String, scheduledTime: Date, trigger: JobTrigger, runID: String) {
        self.jobName = jobName
        self.scheduledTime = scheduledTime
        self.trigger = trigger
        self.runID = runID
    }
}

/// How a run ended, as the job's code reports it.
public struct JobOutcome: Sendable, Hashable {
    /// Success or failure.
    public enum Status: String, Sendable, Hashable, Codable {
        /// The run did its work.
        case succeeded
        /// The run failed; the message says why.
        case failed
    }

    /// Success or failure.
    public var status: Status
    /// A short human-readable note, recorded in the job's history.
    public var message: String?

    /// Creates an outcome value.
    public init(status: Status, message: String? = nil) {
        self.status = status
        self.message = message
    }

    /// A successful run, with an optional note.
    public static func succeeded(_ message: String? = nil) -> JobOutcome {
        JobOutcome(status: .succeeded, message: message)
    }

    /// A failed run and why.
    public static func failed(_ message: String) -> JobOutcome {
        JobOutcome(status: .failed, message: message)
    }
}
