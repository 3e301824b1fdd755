import Foundation

/// The state of one scheduled job in the object store (`scheduler/<job>.json`), shared by every process.
///
/// It is only ever written with a precondition (create-only, or If-Match on the ETag just read), so the record is
/// what makes "at most one run per fire time, never two runs at once" hold across restarts and replicas:
/// ``lastScheduledFire`` says which fire time was last claimed, ``lease`` who is running the job and until when.
public struct JobRecord: Codable, Sendable, Hashable {
    /// How many runs ``history`` keeps.
    public static let historyLimit = 20

    /// The record layout's version, for future migrations.
    public var formatVersion: Int
    /// The job's name.
    public var job: String
    /// The latest scheduled fire time some process claimed; fire times at or before it are never run again.
    public var lastScheduledFire: Date?
    /// The run in progress, if any (an expired lease means its owner died).
    public var lease: JobLease?
    /// The state of the newest run, for people reading the file.
    public var status: JobRunStatus?
    /// Recent runs, newest first, at most ``historyLimit``.
    public var history: [JobRunRecord]

    /// An empty record for a job that never ran.
    public init(job: String) {
        formatVersion = 1
        self.job = job
        lastScheduledFire = nil
        lease = nil
        status = nil
        history = []
    }

    /// Adds or replaces (by run id) a run, keeping the newest ``historyLimit``.
    mutating func record(_ run: JobRunRecord) {
        if let index = history.firstIndex(where: { $0.runID == run.runID }) {
            history[index] = run
        } else {
            history.insert(run, at: 0)
        }
        if history.count > Self.historyLimit { history.removeLast(history.count - Self.historyLimit) }
        status = history.first?.status
    }

    /// Closes the run of an expired lease: its owner stopped (crashed, was killed) before recording an outcome.
    mutating func abandon(_ lease: JobLease) {
        var run =
            history.first { $0.runID == lease.runID }
            ?? JobRunRecord(
                runID: lease.runID, trigger: .schedule, scheduledTime: lease.expiresAt, owner: lease.owner,
                startedAt: lease.expiresAt, status: .running)
        guard run.status == .running else { return }
        run.status = .abandoned
        run.endedAt = lease.expiresAt
        run.message = "owner \(lease.owner) stopped before recording an outcome; its lease expired"
        record(run)
    }
}

/// A claim on a job: one owner is running it until it records the outcome or the lease expires.
public struct JobLease: Codable, Sendable, Hashable {
    /// The process holding the lease (``ScheduleRunner``'s owner id).
    public var owner: String
    /// The run the lease is for.
    public var runID: String
    /// After this instant, another process may take the job over.
    public var expiresAt: Date

    /// Creates a lease value.
    public init(owner: String, runID: String, expiresAt: Date) {
        self.owner = owner
        self.runID = runID
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case owner
        case runID = "runId"
        case expiresAt
    }
}

/// Where a run is: still going, or how it ended.
public enum JobRunStatus: String, Codable, Sendable, Hashable {
    /// Started, no outcome yet.
    case running
    /// Ended successfully.
    case succeeded
    /// Ended with a failure.
    case failed
    /// Its owner disappeared before recording an outcome.
    case abandoned
}

/// One run of a job, as kept in its history.
public struct JobRunRecord: Codable, Sendable, Hashable {
    /// Unique per run.
    public var runID: String
    /// Schedule or manual.
    public var trigger: JobTrigger
    /// The fire time the run was for (for a manual run, when it was requested).
    public var scheduledTime: Date
    /// The process that ran it.
    public var owner: String
    /// When it started.
    public var startedAt: Date
    /// When it ended, once it has.
    public var endedAt: Date?
    /// Running, or how it ended.
    public var status: JobRunStatus
    /// The job's own note (a failure reason, a summary).
    public var message: String?
    /// How long it took, in seconds, once it has ended.
    public var durationSeconds: Double?

    /// Creates a run record.
    public init(
        runID: String, trigger: JobTrigger, scheduledTime: Date, owner: String, startedAt: Date,
        endedAt: Date? = nil, status: JobRunStatus, message: String? = nil, durationSeconds: Double? = nil
    ) {
        self.runID = runID
        self.trigger = trigger
        self.scheduledTime = scheduledTime
        self.owner = owner
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
        self.message = message
        self.durationSeconds = durationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case runID = "runId"
        case trigger, scheduledTime, owner, startedAt, endedAt, status, message, durationSeconds
    }
}
