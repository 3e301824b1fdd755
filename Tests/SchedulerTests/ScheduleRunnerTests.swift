import Foundation
import Storage
import Testing

@testable import Scheduler

/// The runner on a virtual clock and a real FileStore: basic firing, recording, manual runs, status, validation.
@Suite("Schedule runner", .timeLimit(.minutes(1)))
struct ScheduleRunnerTests {
    let start = utc("2026-01-01T00:00:00Z")

    @Test("fires on time and records each run")
    func firesOnTime() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let log = InvocationLog()
            let runner = try ScheduleRunner(
                jobs: [try job("report", "*/5 * * * *")], store: store, clock: clock, ownerID: "a", logger: quietLogger
            ) { invocation in
                log.append(invocation)
                return .succeeded("ok")
            }
            try await withRunning([runner]) {
                try await clock.waitForSleepers(count: 1)
                #expect(clock.nextDeadline == utc("2026-01-01T00:05:00Z"))
                #expect(log.all.isEmpty)
                for minute in [5, 10] {
                    clock.advance(to: start + TimeInterval(minute * 60))
                    try await clock.waitForSleepers(count: 1)
                }
            }
            #expect(log.scheduledTimes == ["2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z"])
            #expect(log.all.allSatisfy { $0.trigger == .schedule && $0.jobName == "report" })
            let record = try #require(try await storedRecord(store, "report"))
            #expect(record.lastScheduledFire == utc("2026-01-01T00:10:00Z"))
            #expect(record.lease == nil)
            #expect(record.status == .succeeded)
            #expect(record.history.map(\.status) == [.succeeded, .succeeded])
            #expect(record.history.map { iso($0.scheduledTime) } == ["2026-01-01T00:10:00Z", "2026-01-01T00:05:00Z"])
            #expect(record.history.allSatisfy { $0.owner == "a" && $0.message == "ok" && $0.durationSeconds == 0 })
            #expect(Set(record.history.map(\.runID)).count == 2)
        }
    }

    @Test("a failed run is recorded with its message and duration")
    func failureRecorded() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let runner = try ScheduleRunner(
                jobs: [try job("train", "0 * * * *")], store: store, clock: clock, ownerID: "a", logger: quietLogger
            ) { _ in
                try? await clock.sleep(until: clock.now() + 90)
                return .failed("no events in the window")
            }
            try await withRunning([runner]) {
                try await clock.waitForSleepers(count: 1)
                clock.advance(to: utc("2026-01-01T01:00:00Z"))
                try await clock.waitForSleepers(count: 1)  // the run, sleeping 90 s
                let running = try await runner.status()
                #expect(running.first?.isRunning == true)
                #expect(running.first?.currentRun?.status == .running)
                clock.advance(by: .seconds(90))
                try await clock.waitForSleepers(count: 1)  // the loop again
            }
            let record = try #require(try await storedRecord(store, "train"))
            let run = try #require(record.history.first)
            #expect(record.status == .failed)
            #expect(run.status == .failed)
            #expect(run.message == "no events in the window")
            #expect(run.durationSeconds == 90)
            #expect(run.startedAt == utc("2026-01-01T01:00:00Z"))
            #expect(run.endedAt == utc("2026-01-01T01:01:30Z"))
        }
    }

    @Test("shutting down during a run still records its outcome and releases the lease")
    func shutdownDuringRun() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let runner = try ScheduleRunner(
                jobs: [try job("train", "@hourly")], store: store, clock: clock, ownerID: "a", logger: quietLogger
            ) { _ in
                do {
                    try await clock.sleep(until: .distantFuture)
                    return .succeeded()
                } catch {
                    return .failed("cancelled by shutdown")
                }
            }
            try await withRunning([runner]) {
                try await clock.waitForSleepers(count: 1)
                clock.advance(to: utc("2026-01-01T01:00:00Z"))
                try await clock.waitForSleepers(count: 1)  // the run
            }
            let record = try #require(try await storedRecord(store, "train"))
            #expect(record.lease == nil)
            #expect(record.history.first?.status == .failed)
            #expect(record.history.first?.message == "cancelled by shutdown")
        }
    }

    @Test("a manual trigger runs now, is recorded, and leaves the schedule alone")
    func manualTrigger() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let log = InvocationLog()
            let runner = try ScheduleRunner(
                jobs: [try job("train", "30 2 * * *")], store: store, clock: clock, ownerID: "a", logger: quietLogger
            ) { invocation in
                log.append(invocation)
                return .succeeded()
            }
            let run = try await runner.trigger(job: "train")
            #expect(run.trigger == .manual)
            #expect(run.status == .succeeded)
            #expect(run.scheduledTime == start)
            #expect(log.all.map(\.trigger) == [.manual])
            let record = try #require(try await storedRecord(store, "train"))
            #expect(record.lastScheduledFire == nil)
            #expect(record.history == [run])
            await #expect(throws: SchedulerError.unknownJob("nope")) { try await runner.trigger(job: "nope") }
        }
    }

    @Test("a manual trigger is refused while the job runs, here or in another process")
    func manualRefusedWhileRunning() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let slow: @Sendable (JobInvocation) async -> JobOutcome = { _ in
                try? await clock.sleep(until: clock.now() + 600)
                return .succeeded()
            }
            let jobs = [try job("train", "@daily")]
            let here = try ScheduleRunner(
                jobs: jobs, store: store, clock: clock, ownerID: "a", logger: quietLogger, run: slow)
            let there = try ScheduleRunner(
                jobs: jobs, store: store, clock: clock, ownerID: "b", logger: quietLogger, run: slow)
            try await withThrowingTaskGroup(of: JobRunRecord.self) { group in
                group.addTask { try await here.trigger(job: "train") }
                try await clock.waitForSleepers(count: 1)
                await #expect(throws: SchedulerError.alreadyRunning(job: "train", owner: "a")) {
                    try await here.trigger(job: "train")
                }
                await #expect(throws: SchedulerError.alreadyRunning(job: "train", owner: "a")) {
                    try await there.trigger(job: "train")
                }
                clock.advance(by: .seconds(600))
                let finished = try #require(try await group.next())
                #expect(finished.status == .succeeded)
            }
            // Once finished, another process may run it.
            try await withThrowingTaskGroup(of: JobRunRecord.self) { group in
                group.addTask { try await there.trigger(job: "train") }
                try await clock.waitForSleepers(count: 1)
                clock.advance(by: .seconds(600))
                #expect(try await group.next()?.owner == "b")
            }
        }
    }

    @Test("status lists next fire times and recent runs")
    func status() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let jobs = [
                try job("train", "30 2 * * *", zone: zone("America/New_York")),
                try job("never", "0 0 31 2 *"),
            ]
            let runner = try ScheduleRunner(jobs: jobs, store: store, clock: clock, ownerID: "a", logger: quietLogger) {
                _ in .succeeded()
            }
            let before = try await runner.status()
            #expect(before.map(\.name) == ["train", "never"])
            #expect(before[0].schedule == "30 2 * * *")
            #expect(before[0].timeZone == "America/New_York")
            #expect(
                before[0].nextFireTimes.map(iso) == [
                    "2026-01-01T07:30:00Z", "2026-01-02T07:30:00Z", "2026-01-03T07:30:00Z",
                ])
            #expect(before[0].isRunning == false && before[0].recentRuns.isEmpty)
            #expect(before[1].nextFireTimes.isEmpty)
            try await runner.trigger(job: "train")
            let after = try await runner.status()
            #expect(after[0].recentRuns.count == 1)
            #expect(after[0].recentRuns.first?.trigger == .manual)
        }
    }

    @Test("history keeps the newest 20 runs")
    func boundedHistory() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let runner = try ScheduleRunner(
                jobs: [try job("ping", "@hourly")], store: store, clock: clock, ownerID: "a", logger: quietLogger
            ) { _ in .succeeded() }
            for _ in 0..<25 {
                try await runner.trigger(job: "ping")
                clock.advance(by: .seconds(1))
            }
            let record = try #require(try await storedRecord(store, "ping"))
            #expect(record.history.count == JobRecord.historyLimit)
            #expect(record.history.first?.startedAt == start + 24)
        }
    }

    @Test(
        "rejects job names that cannot be storage keys, and duplicates",
        arguments: [
            ("", "a job name must not be empty"), ("a/b", "use only letters, digits, \".\", \"_\" and \"-\""),
            ("..", "a job name must not start with \".\""),
            ("tr ain", "use only letters, digits, \".\", \"_\" and \"-\""),
        ])
    func invalidNames(_ name: String, _ reason: String) async throws {
        try await withTemporaryStore { store in
            #expect(throws: SchedulerError.invalidJobName(name, reason: reason)) {
                _ = try ScheduleRunner(
                    jobs: [try job(name, "@daily")], store: store, clock: VirtualClock(), ownerID: "a",
                    logger: quietLogger
                ) { _ in .succeeded() }
            }
            #expect(throws: SchedulerError.duplicateJob("x")) {
                _ = try ScheduleRunner(
                    jobs: [try job("x", "@daily"), try job("x", "@hourly")], store: store, clock: VirtualClock(),
                    ownerID: "a", logger: quietLogger
                ) { _ in .succeeded() }
            }
        }
    }

    @Test("an unreadable record is reported, not trusted")
    func corruptRecord() async throws {
        try await withTemporaryStore { store in
            try await store.put("scheduler/train.json", data: Data("{not json".utf8), precondition: .none)
            let runner = try ScheduleRunner(
                jobs: [try job("train", "@daily")], store: store, clock: VirtualClock(), ownerID: "a",
                logger: quietLogger
            ) { _ in .succeeded() }
            let error = await #expect(throws: SchedulerError.self) { try await runner.status() }
            guard case .unreadableRecord(let key, _) = error else {
                Issue.record("expected unreadableRecord, got \(String(describing: error))")
                return
            }
            #expect(key == "scheduler/train.json")
        }
    }
}
