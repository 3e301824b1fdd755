import Foundation
import Logging
import Storage

/// Claiming a run in the job's record, running it, and recording its outcome — all by compare-and-swap.
extension ScheduleRunner {
    /// A successful claim: the run as recorded, and the record and ETag we wrote (so completing the run usually
    /// needs no extra read).
    struct Claim {
        var run: JobRunRecord
        var record: JobRecord
        var etag: String
    }

    enum ClaimResult {
        case claimed(Claim)
        /// This fire time (or a later one) was already claimed, by us before a restart or by another replica.
        case alreadyClaimed(Date)
        /// An unexpired lease: the job is running somewhere.
        case busy(JobLease)
    }

    /// Claims a run of `job` in its record, retrying from a fresh read whenever another writer got there first.
    func claim(_ job: ScheduledJob, trigger: JobTrigger, scheduledTime: Date) async throws -> ClaimResult {
        for _ in 0..<Self.maxWriteAttempts {
            let loaded = try await records.load(job.name)
            var record = loaded?.record ?? JobRecord(job: job.name)
            let now = clock.now()
            if trigger == .schedule, let last = record.lastScheduledFire, last >= scheduledTime {
                return .alreadyClaimed(last)
            }
            if let lease = record.lease {
                if lease.expiresAt > now { return .busy(lease) }
                logger.warning(
                    "taking over an expired lease: its owner stopped without recording an outcome",
                    metadata: ["job": "\(job.name)", "owner": "\(lease.owner)", "runId": "\(lease.runID)"])
                record.abandon(lease)
            }
            let run = JobRunRecord(
                runID: UUID().uuidString.lowercased(), trigger: trigger, scheduledTime: scheduledTime,
                owner: ownerID, startedAt: now, status: .running)
            record.lease = JobLease(owner: ownerID, runID: run.runID, expiresAt: now + job.leaseDuration.timeInterval)
            if trigger == .schedule { record.lastScheduledFire = scheduledTime }
            record.record(run)
            do {
                let etag = try await records.save(record, replacing: loaded?.etag)
                return .claimed(Claim(run: run, record: record, etag: etag))
            } catch StorageError.preconditionFailed {
                continue  // someone else wrote first: re-read and decide again
            }
        }
        throw SchedulerError.contention(key: JobRecordStore.key(for: job.name), attempts: Self.maxWriteAttempts)
    }

    /// Runs a claimed invocation and records its outcome; returns the finished run.
    @discardableResult
    func execute(_ job: ScheduledJob, _ claim: Claim) async -> JobRunRecord {
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.name)"
        logger[metadataKey: "runId"] = "\(claim.run.runID)"
        logger[metadataKey: "trigger"] = "\(claim.run.trigger.rawValue)"
        logger.info("job run started", metadata: ["scheduledTime": "\(claim.run.scheduledTime.formatted(.iso8601))"])
        let invocation = JobInvocation(
            jobName: job.name, scheduledTime: claim.run.scheduledTime, trigger: claim.run.trigger,
            runID: claim.run.runID)
        let outcome = await action(invocation)
        var finished = claim.run
        let end = clock.now()
        finished.endedAt = end
        finished.status = outcome.status == .succeeded ? .succeeded : .failed
        finished.message = outcome.message
        finished.durationSeconds = max(0, end.timeIntervalSince(finished.startedAt))
        let metadata: Logger.Metadata = [
            "status": "\(finished.status.rawValue)",
            "durationMs": "\(Int(((finished.durationSeconds ?? 0) * 1000).rounded()))",
        ]
        if finished.status == .succeeded {
            logger.info("job run finished", metadata: metadata)
        } else {
            logger.warning("job run failed", metadata: metadata.merging(["message": "\(outcome.message ?? "")"]) { $1 })
        }
        // Record the outcome even when the runner is shutting down (the job was cancelled and returned): a write
        // abandoned to cancellation would leave the lease blocking the job until it expires. The task is awaited
        // right here, so it never outlives this call.
        let result = finished
        let completion = Task { try await self.complete(job, result, claim) }
        do {
            try await completion.value
        } catch {
            // The lease will expire and the run will show as abandoned; nothing better to do without storage.
            logger.error("cannot record the job's outcome", metadata: ["error": "\(error)"])
        }
        return finished
    }

    /// Writes the finished run into the record and releases our lease (if it is still ours).
    private func complete(_ job: ScheduledJob, _ finished: JobRunRecord, _ claim: Claim) async throws {
        var current: (record: JobRecord, etag: String)? = (claim.record, claim.etag)
        for _ in 0..<Self.maxWriteAttempts {
            var record = current?.record ?? JobRecord(job: job.name)
            // After an expiry another owner may hold the lease now: leave theirs alone, still record our outcome.
            if record.lease?.runID == finished.runID { record.lease = nil }
            record.record(finished)
            do {
                _ = try await records.save(record, replacing: current?.etag)
                return
            } catch StorageError.preconditionFailed {
                current = try await records.load(job.name)
            }
        }
        throw SchedulerError.contention(key: JobRecordStore.key(for: job.name), attempts: Self.maxWriteAttempts)
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
