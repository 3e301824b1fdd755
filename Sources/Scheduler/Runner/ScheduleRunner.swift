import Foundation
import Logging
import Storage
import Synchronization

/// Fires scheduled jobs on their cron schedules, at most one run of a job at a time across every process that
/// shares the object store, and records each run in `scheduler/<job>.json`.
///
/// **Claiming.** Before a run, the runner writes the job's ``JobRecord`` with a precondition (create-only, or
/// If-Match on the ETag it read): it claims the fire time (``JobRecord/lastScheduledFire``) and takes a lease. A
/// process that loses the race, wakes for a fire time already claimed, or finds an unexpired lease skips that fire
/// time — so two replicas, or a restarted process, never run one fire time twice, and a job never overlaps itself.
/// A lease that expired (its owner crashed) may be taken over; the dead run is recorded as `abandoned`.
///
/// **Misfires — no catch-up.** Like cron: fire times that pass while no runner is up are skipped (a starting runner
/// looks only forward from now); fire times that pass while the job is still running are skipped (logged, not
/// queued); if the process wakes late for a fire time (machine suspended), that one fire time runs, late, once, and
/// the schedule continues from the current time. A user who wants a missed run uses ``trigger(job:)``.
///
/// The runner does not enforce a timeout; the `run` closure must return within the job's
/// ``ScheduledJob/leaseDuration`` (the emulator cancels a function at its declared timeout).
public final class ScheduleRunner: Sendable {
    /// The jobs this runner fires, in the order given.
    public let jobs: [ScheduledJob]
    /// This process's identity in leases and run records; unique per process (see ``makeOwnerID()``).
    public let ownerID: String

    let records: JobRecordStore
    let clock: any WallClock
    let logger: Logger
    let action: @Sendable (JobInvocation) async -> JobOutcome
    /// Jobs running in this process, so a manual trigger is refused without a store round-trip.
    let running = Mutex<Set<String>>([])

    /// How many times a compare-and-swap is retried before giving up (each retry re-reads the record).
    static let maxWriteAttempts = 8

    /// Creates a runner; `run` executes one invocation and reports its outcome.
    public init(
        jobs: [ScheduledJob], store: any ObjectStore, clock: any WallClock, ownerID: String, logger: Logger,
        run: @escaping @Sendable (JobInvocation) async -> JobOutcome
    ) throws(SchedulerError) {
        var seen = Set<String>()
        for job in jobs {
            try Self.validate(jobName: job.name)
            guard seen.insert(job.name).inserted else { throw .duplicateJob(job.name) }
        }
        self.jobs = jobs
        self.ownerID = ownerID
        self.records = JobRecordStore(store: store)
        self.clock = clock
        self.logger = logger
        self.action = run
    }

    /// A process-unique owner id: host name, process id and a random suffix (pids are reused after restarts).
    public static func makeOwnerID() -> String {
        let info = ProcessInfo.processInfo
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return "\(info.hostName)-\(info.processIdentifier)-\(suffix)"
    }

    /// Fires every job on its schedule until the calling task is cancelled, then returns.
    ///
    /// Each job has its own child task, so a long run of one job never delays another job's fire times.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await self.scheduleLoop(job) }
            }
        }
        // Every loop has ended: we were cancelled, or no job has a future fire time. Returning early would stop a
        // service group, so wait for cancellation like a runner with work would.
        while !Task.isCancelled {
            do { try await clock.sleep(until: .distantFuture) } catch { break }
        }
    }

    /// Runs `job` now, outside its schedule, and returns the finished run.
    ///
    /// Throws ``SchedulerError/alreadyRunning(job:owner:)`` if the job is running here or in another process.
    @discardableResult
    public func trigger(job name: String) async throws -> JobRunRecord {
        guard let job = jobs.first(where: { $0.name == name }) else { throw SchedulerError.unknownJob(name) }
        guard reserve(name) else { throw SchedulerError.alreadyRunning(job: name, owner: ownerID) }
        defer { release(name) }
        switch try await claim(job, trigger: .manual, scheduledTime: clock.now()) {
        case .claimed(let claim):
            return await execute(job, claim)
        case .busy(let lease):
            throw SchedulerError.alreadyRunning(job: name, owner: lease.owner)
        case .alreadyClaimed:
            // Only scheduled claims compare fire times; a manual claim never lands here.
            throw SchedulerError.contention(key: JobRecordStore.key(for: name), attempts: 1)
        }
    }

    /// Every job's schedule, next three fire times, whether it is running, and its recent runs (from the store, so
    /// runs by other processes are included).
    public func status() async throws -> [JobStatus] {
        let now = clock.now()
        var result: [JobStatus] = []
        for job in jobs {
            let record = try await records.load(job.name)?.record
            let lease = record?.lease.flatMap { $0.expiresAt > now ? $0 : nil }
            result.append(
                JobStatus(
                    name: job.name, schedule: job.schedule.expression, timeZone: job.timeZone.identifier,
                    nextFireTimes: job.schedule.nextFireDates(after: now, count: 3, in: job.timeZone),
                    isRunning: lease != nil,
                    currentRun: lease.flatMap { lease in record?.history.first { $0.runID == lease.runID } },
                    lastScheduledFire: record?.lastScheduledFire, recentRuns: record?.history ?? []))
        }
        return result
    }

    // MARK: - The loop

    private func scheduleLoop(_ job: ScheduledJob) async {
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.name)"
        var after = clock.now()
        while !Task.isCancelled {
            guard let fireTime = job.schedule.nextFireDate(after: after, in: job.timeZone) else {
                logger.warning(
                    "scheduled job has no fire time in the next 8 years and will not run",
                    metadata: ["schedule": "\(job.schedule.expression)", "timeZone": "\(job.timeZone.identifier)"])
                return
            }
            do {
                // The system clock sleeps on a monotonic clock while schedules are wall time: it can wake early.
                while clock.now() < fireTime { try await clock.sleep(until: fireTime) }
            } catch {
                return  // cancelled
            }
            await fire(job, at: fireTime, logger: logger)
            // Fire times that passed while the job ran are skipped, not caught up (see the type's notes).
            after = max(fireTime, clock.now())
        }
    }

    private func fire(_ job: ScheduledJob, at fireTime: Date, logger: Logger) async {
        var logger = logger
        logger[metadataKey: "fireTime"] = "\(fireTime.formatted(.iso8601))"
        guard reserve(job.name) else {
            logger.notice("scheduled run skipped: a manual run of the job is in progress")
            return
        }
        defer { release(job.name) }
        do {
            switch try await claim(job, trigger: .schedule, scheduledTime: fireTime) {
            case .claimed(let claim):
                await execute(job, claim)
            case .alreadyClaimed(let last):
                logger.debug(
                    "scheduled run skipped: fire time already claimed",
                    metadata: ["lastScheduledFire": "\(last.formatted(.iso8601))"])
            case .busy(let lease):
                logger.notice(
                    "scheduled run skipped: the previous run is still in progress",
                    metadata: ["owner": "\(lease.owner)", "runId": "\(lease.runID)"])
            }
        } catch {
            logger.error("scheduled run skipped: cannot claim it in storage", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - In-process guard

    private func reserve(_ name: String) -> Bool {
        running.withLock { $0.insert(name).inserted }
    }

    private func release(_ name: String) {
        _ = running.withLock { $0.remove(name) }
    }

    private static func validate(jobName name: String) throws(SchedulerError) {
        if name.isEmpty { throw .invalidJobName(name, reason: "a job name must not be empty") }
        if name.count > 100 { throw .invalidJobName(name, reason: "a job name is at most 100 characters") }
        if name.hasPrefix(".") { throw .invalidJobName(name, reason: "a job name must not start with \".\"") }
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-".unicodeScalars.contains($0)
        }
        if !allowed {
            throw .invalidJobName(name, reason: "use only letters, digits, \".\", \"_\" and \"-\"")
        }
    }
}
