import Foundation
import Testing

@testable import Scheduler

@Suite("Virtual clock", .timeLimit(.minutes(1)))
struct VirtualClockTests {
    @Test("a sleeper wakes only once time reaches its deadline")
    func wakesOnAdvance() async throws {
        let clock = VirtualClock(now: utc("2026-01-01T00:00:00Z"))
        try await withThrowingTaskGroup(of: Date.self) { group in
            group.addTask {
                try await clock.sleep(until: utc("2026-01-01T00:10:00Z"))
                return clock.now()
            }
            try await clock.waitForSleepers(count: 1)
            #expect(clock.nextDeadline == utc("2026-01-01T00:10:00Z"))
            clock.advance(by: .seconds(599))
            #expect(clock.sleeperCount == 1)
            clock.advance(by: .seconds(1))
            let woke = try #require(try await group.next())
            #expect(woke == utc("2026-01-01T00:10:00Z"))
            #expect(clock.sleeperCount == 0)
        }
    }

    @Test("a deadline already passed returns at once")
    func pastDeadline() async throws {
        let clock = VirtualClock(now: utc("2026-01-01T00:00:00Z"))
        try await clock.sleep(until: utc("2025-12-31T23:59:00Z"))
        try await clock.sleep(until: utc("2026-01-01T00:00:00Z"))
        #expect(clock.sleeperCount == 0)
    }

    @Test("a cancelled sleeper throws CancellationError and is removed")
    func cancellation() async throws {
        let clock = VirtualClock()
        let task = Task { try await clock.sleep(until: .distantFuture) }
        try await clock.waitForSleepers(count: 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
        // Already cancelled before sleeping: throws without parking.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: .distantFuture)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("advancing wakes every due sleeper, never moves backwards")
    func manySleepers() async throws {
        let clock = VirtualClock(now: utc("2026-01-01T00:00:00Z"))
        try await withThrowingTaskGroup(of: Int.self) { group in
            for minute in 1...5 {
                group.addTask {
                    try await clock.sleep(until: utc("2026-01-01T00:00:00Z") + TimeInterval(minute * 60))
                    return minute
                }
            }
            try await clock.waitForSleepers(count: 5)
            clock.advance(to: utc("2026-01-01T00:03:00Z"))
            var woken: [Int] = []
            for _ in 0..<3 { woken.append(try #require(try await group.next())) }
            #expect(woken.sorted() == [1, 2, 3])
            #expect(clock.sleeperCount == 2)
            clock.advance(to: utc("2025-01-01T00:00:00Z"))
            #expect(clock.now() == utc("2026-01-01T00:03:00Z"))
            clock.advance(by: .seconds(120))
            for _ in 0..<2 { _ = try await group.next() }
            #expect(clock.sleeperCount == 0)
        }
    }

    @Test("waitForSleepers is cancellable")
    func waiterCancellation() async throws {
        let clock = VirtualClock()
        let waiter = Task { try await clock.waitForSleepers(count: 3) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}
