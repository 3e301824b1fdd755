import Foundation
import Storage
import Testing

@testable import Scheduler

/// The runner's guarantees when runs are long, processes share a store, restart, crash, or wake late.
@Suite("Schedule runner: overlap, replicas, restarts", .timeLimit(.minutes(1)))
struct ScheduleRunnerSharingTests {
    let start = utc("2026-01-01T00:00:00Z")

    @Test("no overlap when a run outlasts its period: fire times during the run are skipped")
    func noOverlap() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let log = InvocationLog()
            let runner = try ScheduleRunner(
                jobs: [try job("slow", "*/5 * * * *")], store: store, clock: clock, ownerID: "a", logger: quietLogger
            ) { invocation in
                log.append(invocation)
                try? await clock.sleep(until: clock.now() + 12 * 60)
                return .succeeded()
            }
            try await withRunning([runner]) {
                try await clock.waitForSleepers(count: 1)
                for minute in [5, 10, 15, 17, 20] {
                    clock.advance(to: start + TimeInterval(minute * 60))
                    try await clock.waitForSleepers(count: 1)  // the running job or the idle loop, never both
                }
            }
            #expect(log.scheduledTimes == ["2026-01-01T00:05:00Z", "2026-01-01T00:20:00Z"])
        }
    }

    @Test("two runners sharing one store run each fire time exactly once")
    func twoReplicas() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let log = InvocationLog()
            let jobs = [try job("ping", "* * * * *"), try job("report", "*/2 * * * *")]
            let replicas = try ["a", "b"].map { owner in
                try ScheduleRunner(jobs: jobs, store: store, clock: clock, ownerID: owner, logger: quietLogger) {
                    invocation in
                    log.append(invocation)
                    return .succeeded()
                }
            }
            try await withRunning(replicas) {
                try await clock.waitForSleepers(count: 4)
                for _ in 0..<10 {
                    clock.advance(by: .seconds(60))
                    try await clock.waitForSleepers(count: 4)
                }
            }
            let pings = log.all.filter { $0.jobName == "ping" }.map { iso($0.scheduledTime) }
            let reports = log.all.filter { $0.jobName == "report" }.map { iso($0.scheduledTime) }
            #expect(pings.count == 10 && Set(pings).count == 10)
            #expect(reports.count == 5 && Set(reports).count == 5)
            let record = try #require(try await storedRecord(store, "ping"))
            #expect(record.history.count == 10)
            #expect(record.history.allSatisfy { $0.status == .succeeded })
        }
    }

    @Test("a long run on one replica makes the other skip, not overlap")
    func replicasNoOverlap() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let log = InvocationLog()
            let jobs = [try job("slow", "*/5 * * * *")]
            let replicas = try ["a", "b"].map { owner in
                try ScheduleRunner(jobs: jobs, store: store, clock: clock, ownerID: owner, logger: quietLogger) {
                    invocation in
                    log.append(invocation)
                    try? await clock.sleep(until: clock.now() + 12 * 60)
                    return .succeeded()
                }
            }
            try await withRunning(replicas) {
                try await clock.waitForSleepers(count: 2)
                for minute in [5, 10, 15, 17, 20] {
                    clock.advance(to: start + TimeInterval(minute * 60))
                    try await clock.waitForSleepers(count: 2)
                }
            }
            #expect(log.scheduledTimes == ["2026-01-01T00:05:00Z", "2026-01-01T00:20:00Z"])
        }
    }

    @Test("a replica whose clock is behind does not re-run a fire time another already claimed")
    func skewedReplica() async throws {
        try await withTemporaryStore { store in
            let ahead = VirtualClock(now: utc("2026-01-01T00:04:00Z"))
            let behind = VirtualClock(now: utc("2026-01-01T00:03:30Z"))
            let log = InvocationLog()
            let jobs = [try job("report", "*/5 * * * *")]
            let make = { (owner: String, clock: VirtualClock) in
                try ScheduleRunner(jobs: jobs, store: store, clock: clock, ownerID: owner, logger: quietLogger) {
                    invocation in
                    log.append(invocation)
                    return .succeeded()
                }
            }
            try await withRunning([try make("a", ahead), try make("b", behind)]) {
                try await ahead.waitForSleepers(count: 1)
                try await behind.waitForSleepers(count: 1)
                ahead.advance(to: utc("2026-01-01T00:05:00Z"))
                try await ahead.waitForSleepers(count: 1)
                behind.advance(to: utc("2026-01-01T00:05:00Z"))
                try await behind.waitForSleepers(count: 1)
            }
            #expect(log.scheduledTimes == ["2026-01-01T00:05:00Z"])
            #expect(try await storedRecord(store, "report")?.history.first?.owner == "a")
        }
    }

    @Test("a restarted runner neither re-runs a claimed fire time nor overlaps a crashed run until its lease expires")
    func restartAfterCrash() async throws {
        try await withTemporaryStore { store in
            // What a process that crashed in the middle of the 00:05 run leaves behind.
            var crashed = JobRecord(job: "train")
            crashed.lastScheduledFire = utc("2026-01-01T00:05:00Z")
            crashed.lease = JobLease(owner: "dead", runID: "run-1", expiresAt: utc("2026-01-01T00:20:00Z"))
            crashed.record(
                JobRunRecord(
                    runID: "run-1", trigger: .schedule, scheduledTime: utc("2026-01-01T00:05:00Z"), owner: "dead",
                    startedAt: utc("2026-01-01T00:05:00Z"), status: .running))
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            try await store.put("scheduler/train.json", data: try encoder.encode(crashed), precondition: .ifNoneMatch)

            let clock = VirtualClock(now: utc("2026-01-01T00:04:59Z"))
            let log = InvocationLog()
            let runner = try ScheduleRunner(
                jobs: [try job("train", "*/5 * * * *", lease: .seconds(900))], store: store, clock: clock,
                ownerID: "new", logger: quietLogger
            ) { invocation in
                log.append(invocation)
                return .succeeded()
            }
            try await withRunning([runner]) {
                try await clock.waitForSleepers(count: 1)
                for minute in [5, 10, 15, 20] {
                    clock.advance(to: start + TimeInterval(minute * 60))
                    try await clock.waitForSleepers(count: 1)
                }
            }
            // 00:05 was claimed; 00:10 and 00:15 fell inside the dead owner's lease; at 00:20 it had expired.
            #expect(log.scheduledTimes == ["2026-01-01T00:20:00Z"])
            let record = try #require(try await storedRecord(store, "train"))
            #expect(record.history.map(\.status) == [.succeeded, .abandoned])
            #expect(record.history.last?.runID == "run-1")
            #expect(record.history.last?.endedAt == utc("2026-01-01T00:20:00Z"))
            #expect(record.lease == nil)
        }
    }

    @Test("waking late runs the missed fire time once, then continues from now: no catch-up storm")
    func lateWake() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let log = InvocationLog()
            let runner = try ScheduleRunner(
                jobs: [try job("ping", "*/5 * * * *")], store: store, clock: clock, ownerID: "a", logger: quietLogger
            ) { invocation in
                log.append(invocation)
                return .succeeded()
            }
            try await withRunning([runner]) {
                try await clock.waitForSleepers(count: 1)
                clock.advance(to: utc("2026-01-01T03:02:00Z"))  // 36 fire times passed while "suspended"
                try await clock.waitForSleepers(count: 1)
                #expect(clock.nextDeadline == utc("2026-01-01T03:05:00Z"))
            }
            #expect(log.scheduledTimes == ["2026-01-01T00:05:00Z"])
        }
    }

    @Test("jobs are independent: a long run of one does not delay another")
    func independentJobs() async throws {
        try await withTemporaryStore { store in
            let clock = VirtualClock(now: start)
            let log = InvocationLog()
            let jobs = [try job("train", "0 * * * *"), try job("ping", "*/10 * * * *"), try job("never", "0 0 31 2 *")]
            let runner = try ScheduleRunner(jobs: jobs, store: store, clock: clock, ownerID: "a", logger: quietLogger) {
                invocation in
                log.append(invocation)
                if invocation.jobName == "train" { try? await clock.sleep(until: clock.now() + 45 * 60) }
                return .succeeded()
            }
            try await withRunning([runner]) {
                // "never" has no fire time, so its loop ends at once; train and ping park for their fire times.
                try await clock.waitForSleepers(count: 2)
                for minute in stride(from: 10, through: 60, by: 10) {
                    clock.advance(to: start + TimeInterval(minute * 60))
                    try await clock.waitForSleepers(count: 2)
                }
                clock.advance(to: utc("2026-01-01T01:10:00Z"))
                try await clock.waitForSleepers(count: 2)
                clock.advance(to: utc("2026-01-01T01:20:00Z"))
                try await clock.waitForSleepers(count: 2)
            }
            let pings = log.all.filter { $0.jobName == "ping" }.map { iso($0.scheduledTime) }
            #expect(pings.count == 8)
            #expect(pings.last == "2026-01-01T01:20:00Z")
            #expect(log.all.filter { $0.jobName == "train" }.count == 1)
        }
    }
}
