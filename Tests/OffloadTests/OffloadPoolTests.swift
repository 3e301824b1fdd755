import Foundation
import Synchronization
import Testing

@testable import Offload

@Suite("an offload pool runs jobs on a fixed number of its own threads", .timeLimit(.minutes(1)))
struct OffloadPoolTests {
    @Test func neverRunsMoreJobsAtOnceThanItHasThreads() async throws {
        let pool = OffloadPool(name: "bounded", threads: 3)
        let concurrency = Concurrency()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    await pool.run {
                        let now = concurrency.running.add(1, ordering: .relaxed).newValue
                        concurrency.most.max(now, ordering: .relaxed)
                        Thread.sleep(forTimeInterval: 0.02)
                        concurrency.running.subtract(1, ordering: .relaxed)
                    }
                }
            }
        }
        #expect(concurrency.most.load(ordering: .relaxed) == 3, "12 jobs of 20 ms: all 3 threads, never a 4th")
    }

    @Test func runsQueuedJobsInTheOrderTheyWereQueued() async throws {
        let pool = OffloadPool(name: "fifo", threads: 1)
        let gate = Gate()
        let order = Mutex<[Int]>([])
        let done = Gate()
        pool.submit { gate.wait() }
        for job in 0..<20 { pool.submit { order.withLock { $0.append(job) } } }
        pool.submit { done.wait() }
        gate.open(for: 1)
        try await done.waitUntilArrived(1)
        done.open(for: 1)
        #expect(order.withLock { $0 } == Array(0..<20))
    }

    /// More jobs wait at once than Swift concurrency has threads, and only an ordinary task can release them. If
    /// they held the concurrency threads, that task could not run until their waits timed out.
    @Test func aBlockedPoolDoesNotStarveOrdinaryTasks() async throws {
        let waiting = ProcessInfo.processInfo.activeProcessorCount + 2
        let pool = OffloadPool(name: "blocked", threads: waiting)
        let gate = Gate()
        let opened = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<waiting {
                group.addTask { await pool.run { gate.wait() } }
            }
            group.addTask {
                try await gate.waitUntilArrived(waiting)
                gate.open(for: waiting)
                return true
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(opened == Array(repeating: true, count: waiting + 1), "a wait timed out: the releasing task starved")
    }

    enum Failure: Error, Equatable { case expected }

    @Test func typedAndUntypedErrorsReachTheCaller() async {
        let pool = OffloadPool(name: "errors", threads: 1)
        await #expect(throws: Failure.expected) {
            try await pool.run { () throws(Failure) -> Int in throw .expected }
        }
        await #expect(throws: CocoaError.self) {
            try await pool.run { () throws -> Int in throw CocoaError(.fileNoSuchFile) }
        }
        #expect(await pool.run { 42 } == 42)
    }

    @Test func statisticsCountQueuedRunningAndCompletedJobs() async throws {
        let pool = OffloadPool(name: "stats", threads: 2)
        #expect(pool.statistics == OffloadStatistics(threads: 2, queued: 0, running: 0, completed: 0))
        let gate = Gate()
        for _ in 0..<5 { pool.submit { gate.wait() } }
        try await gate.waitUntilArrived(2)
        #expect(pool.statistics == OffloadStatistics(threads: 2, queued: 3, running: 2, completed: 0))
        gate.open(for: 5)
        try await gate.waitUntilArrived(5)
        while pool.statistics.completed < 5 { try await Task.sleep(for: .milliseconds(2)) }
        #expect(pool.statistics == OffloadStatistics(threads: 2, queued: 0, running: 0, completed: 5))
    }

    /// A queued job can hold a lot (a segment's bytes): it must be released when the job ends, not when later
    /// jobs push it out of the queue's storage.
    @Test func aFinishedJobReleasesWhatItCaptured() async throws {
        let pool = OffloadPool(name: "release", threads: 1)
        let flag = ReleaseFlag()
        do {
            let payload = Payload(flag)
            await pool.run { _ = payload }
        }
        #expect(try await eventually { flag.released.load(ordering: .relaxed) })
    }

    @Test func tasksThatPreferThePoolRunOnItsThreadsAndSoDoTheirChildren() async {
        let pool = OffloadPool(name: "executor", threads: 2)
        #expect(!pool.isCurrent)
        let (here, child) = await withTaskExecutorPreference(pool) {
            async let child = pool.isCurrent
            return (pool.isCurrent, await child)
        }
        #expect(here && child)
        #expect(await pool.run { pool.isCurrent })
        #expect(await pool.run { OffloadPool(name: "other", threads: 1).isCurrent } == false)
    }

    @Test func thePoolsAreSizedByTheRule() {
        #expect(Offload.io.threadCount == 16)
        #expect(Offload.cpu.threadCount == max(2, ProcessInfo.processInfo.activeProcessorCount))
        #expect(Offload.background.threadCount == 1)
        #expect(Offload.pools.map(\.label) == ["io", "cpu", "background"])
    }

    #if os(Linux)
    /// The background pool yields the cores: its thread runs under SCHED_IDLE (policy 5, field 41 of the thread's
    /// stat), the others under the normal policy (0).
    @Test func theBackgroundPoolRunsOnlyWhenACoreIsIdle() async throws {
        @Sendable func policyOfThisThread() -> Int? {
            let stat = (try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)) ?? ""
            // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
            guard let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 38 ? Int(fields[38]) : nil
        }
        #expect(await Offload.background.run { policyOfThisThread() } == 5)
        #expect(await Offload.cpu.run { policyOfThisThread() } == 0)
    }
    #endif
}

/// How many jobs run at once, and the most that ever did.
private final class Concurrency: Sendable {
    let running = Atomic(0)
    let most = Atomic(0)
}

/// Set when the ``Payload`` holding it is deallocated.
private final class ReleaseFlag: Sendable {
    let released = Atomic(false)
}

/// Something a job captures.
private final class Payload: Sendable {
    let flag: ReleaseFlag

    init(_ flag: ReleaseFlag) {
        self.flag = flag
    }

    deinit { flag.released.store(true, ordering: .relaxed) }
}
