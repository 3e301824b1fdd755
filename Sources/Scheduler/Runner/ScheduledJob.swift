import Foundation

/// One job the ``ScheduleRunner`` fires: a name, a cron schedule and the time zone the schedule is read in.
public struct ScheduledJob: Sendable, Hashable {
    /// The job's name, also its record's key (`scheduler/<name>.json`): letters, digits, `.`, `_`, `-`.
    public var name: String
    /// When the job fires.
    public var schedule: CronSchedule
    /// The IANA zone whose wall clock the schedule is read on (UTC by default, as in Cloud Scheduler).
    public var timeZone: TimeZone
    /// How long a claim on a run holds before another process may assume its owner died and run the job again.
    ///
    /// Must be longer than the job can run: the emulator passes the function's timeout plus a grace period. A lease
    /// that expires while the job is still running lets a second replica start it — the one overlap we cannot stop
    /// without heartbeats.
    public var leaseDuration: Duration

    /// Creates a job definition.
    public init(
        name: String, schedule: CronSchedule, timeZone: TimeZone = .gmt, leaseDuration: Duration = .seconds(3600)
    ) {
        self.name = name
        self.schedule = schedule
        self.timeZone = timeZone
        self.leaseDuration = leaseDuration
    }
}
