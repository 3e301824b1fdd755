import Foundation

/// A scheduled job as the CLI and the console show it: its schedule, what comes next, and what happened lately.
public struct JobStatus: Sendable, Hashable {
    /// The job's name.
    public var name: String
    /// The cron expression as written.
    public var schedule: String
    /// The IANA identifier of the zone the schedule is read in.
    public var timeZone: String
    /// The next few fire times (empty if the schedule never fires).
    public var nextFireTimes: [Date]
    /// Whether some process holds an unexpired lease on the job.
    public var isRunning: Bool
    /// The run in progress, if any.
    public var currentRun: JobRunRecord?
    /// The latest scheduled fire time claimed by any process.
    public var lastScheduledFire: Date?
    /// Recent runs, newest first.
    public var recentRuns: [JobRunRecord]

    /// Creates a status value.
    public init(
        name: String, schedule: String, timeZone: String, nextFireTimes: [Date], isRunning: Bool,
        currentRun: JobRunRecord?, lastScheduledFire: Date?, recentRuns: [JobRunRecord]
    ) {
        self.name = name
        self.schedule = schedule
        self.timeZone = timeZone
        self.nextFireTimes = nextFireTimes
        self.isRunning = isRunning
        self.currentRun = currentRun
        self.lastScheduledFire = lastScheduledFire
        self.recentRuns = recentRuns
    }
}
