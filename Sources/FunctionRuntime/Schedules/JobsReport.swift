import Foundation
import Scheduler

/// The scheduler's state as JSON for the CLI, the HTTP built-ins and the console.
public struct JobsReport: Encodable, Sendable {
    /// One scheduled function.
    public struct Job: Encodable, Sendable {
        var name: String
        var schedule: String
        var timeZone: String
        var nextRuns: [Date]
        var running: Bool
        var lastScheduledFire: Date?
        var recentRuns: [JobRunRecord]
    }

    /// Every scheduled function.
    public var jobs: [Job]

    /// Reads the current status of every job from the store.
    public init(_ scheduled: ScheduledFunctions) async throws {
        jobs = try await scheduled.runner.status().map { status in
            Job(
                name: status.name,
                schedule: status.schedule,
                timeZone: status.timeZone,
                nextRuns: status.nextFireTimes,
                running: status.isRunning,
                lastScheduledFire: status.lastScheduledFire,
                recentRuns: status.recentRuns
            )
        }
    }
}
