import Synchronization
import Testing

@testable import Offload

@Suite("a fan-out splits chunks over the caller and the pool without deadlock", .timeLimit(.minutes(1)))
struct OffloadFanOutTests {
    @Test("every chunk runs exactly once whatever the worker count", arguments: [1, 2, 5, 64])
    func everyChunkOnce(workers: Int) {
        let visits = Visits(37)
        Offload.cpu.forEach(chunks: 37, workers: workers) { chunk in visits.record(chunk) }
        #expect(visits.counts == Array(repeating: 1, count: 37))
    }

    @Test func noTwoThreadsShareAWorkerIndexAtOnce() {
        let pool = OffloadPool(name: "indices", threads: 3)
        let busy = Mutex([Bool](repeating: false, count: 4))
        let clashes = Atomic(0)
        pool.forEach(chunks: 400, workers: 4) { _, worker in
            let clash = busy.withLock { busy in
                defer { busy[worker] = true }
                return busy[worker]
            }
            if clash { clashes.add(1, ordering: .relaxed) }
            for _ in 0..<1_000 { _ = busy.withLock { $0[worker] } }
            busy.withLock { $0[worker] = false }
        }
        #expect(clashes.load(ordering: .relaxed) == 0)
    }

    /// Every thread of the pool is a fan-out's caller, so no helper can start until they are done: each caller
    /// must do all of its chunks itself and not wait for the helpers it queued. A deadlock leaves the callers
    /// stuck, so the test polls for them with a deadline instead of awaiting them (and fails instead of hanging).
    @Test func completesWhenEveryPoolThreadIsAlreadyAFanOutCaller() async throws {
        let pool = OffloadPool(name: "nested", threads: 2)
        let totals = Mutex<[Int]>([])
        for _ in 0..<pool.threadCount {
            pool.submit {
                let visits = Visits(50)
                pool.forEach(chunks: 50, workers: 4) { chunk in
                    // A fan-out inside a chunk of a fan-out, on the same saturated pool.
                    let inner = Visits(8)
                    pool.forEach(chunks: 8, workers: 3) { inner.record($0) }
                    if inner.counts == Array(repeating: 1, count: 8) { visits.record(chunk) }
                }
                totals.withLock { $0.append(visits.counts.reduce(0, +)) }
            }
        }
        let finished = try await eventually { totals.withLock { $0.count } == pool.threadCount }
        #expect(finished, "the fan-outs deadlocked")
        #expect(totals.withLock { $0 } == Array(repeating: 50, count: pool.threadCount))
    }

    /// The pool's only thread is held, so the helpers stay queued: the caller (on a thread of another pool)
    /// finishes alone, and the helpers, when they finally start, return without running anything.
    @Test func helpersThatStartAfterTheChunksRanOutDoNothing() async throws {
        let pool = OffloadPool(name: "late", threads: 1)
        let caller = OffloadPool(name: "caller", threads: 1)
        let gate = Gate()
        pool.submit { gate.wait() }
        try await gate.waitUntilArrived(1)
        let visits = Visits(10)
        let onPool = Mutex<Set<Bool>>([])
        let returned = Mutex(false)
        caller.submit {
            pool.forEach(chunks: 10, workers: 3) { chunk in
                visits.record(chunk)
                onPool.withLock { _ = $0.insert(pool.isCurrent) }
            }
            returned.withLock { $0 = true }
        }
        let finished = try await eventually { returned.withLock { $0 } }
        #expect(finished, "the caller waited for helpers that had not started")
        #expect(pool.statistics.queued == 2, "the two helpers are still queued")
        gate.open(for: 1)
        #expect(try await eventually { pool.statistics.completed == 3 })
        #expect(visits.counts == Array(repeating: 1, count: 10))
        #expect(onPool.withLock { $0 } == [false], "every chunk ran on the caller's thread")
    }
}

/// How often each chunk ran.
private final class Visits: Sendable {
    private let slots: Mutex<[Int]>

    init(_ chunks: Int) {
        slots = Mutex([Int](repeating: 0, count: chunks))
    }

    func record(_ chunk: Int) { slots.withLock { $0[chunk] += 1 } }

    var counts: [Int] { slots.withLock { $0 } }
}
