import Foundation
import Synchronization

/// A ``WallClock`` that only moves when a test says so, so schedules are tested by advancing time, not by sleeping.
///
/// ``sleep(until:)`` parks the caller until ``advance(by:)`` or ``advance(to:)`` moves ``now()`` to or past its
/// deadline; a cancelled sleeper throws `CancellationError` and is removed. ``waitForSleepers(count:)`` lets a test
/// wait until the code under test is parked (has finished reacting to the last advance) before it advances again.
public final class VirtualClock: WallClock {
    /// Where a sleeper or a waiter is in its life: cancellation may arrive before its continuation exists.
    private enum ParkState {
        /// Registered, continuation not created yet (so cancellation can still be noticed without a resume).
        case pending
        case parked(CheckedContinuation<Void, any Error>)
        case cancelled
    }

    private struct Sleeper {
        var deadline: Date
        var state: ParkState
    }

    private struct Waiter {
        var count: Int
        var state: ParkState
    }

    private struct State {
        var now: Date
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        var waiters: [Int: Waiter] = [:]

        var parkedCount: Int {
            sleepers.values.count { if case .parked = $0.state { true } else { false } }
        }

        /// Removes and returns the waiters whose count is now reached.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, any Error>] {
            let parked = parkedCount
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, waiter) in waiters where waiter.count <= parked {
                if case .parked(let continuation) = waiter.state {
                    ready.append(continuation)
                    waiters[id] = nil
                }
            }
            return ready
        }
    }

    private let state: Mutex<State>

    /// Creates a clock showing `now`; the default is a fixed instant (2026-01-01T00:00:00Z) so tests are reproducible.
    public init(now: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: now))
    }

    public func now() -> Date {
        state.withLock { $0.now }
    }

    /// The number of tasks currently parked in ``sleep(until:)``.
    public var sleeperCount: Int {
        state.withLock { $0.parkedCount }
    }

    /// The earliest deadline among parked sleepers, if any: where ``advance(to:)`` should go to wake the next one.
    public var nextDeadline: Date? {
        state.withLock { state in
            state.sleepers.values.compactMap { if case .parked = $0.state { $0.deadline } else { nil } }.min()
        }
    }

    public func sleep(until deadline: Date) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            state.sleepers[state.nextID] = Sleeper(deadline: deadline, state: .pending)
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, cancel, park([CheckedContinuation<Void, any Error>]) }
                let action = state.withLock { state -> Action in
                    guard let sleeper = state.sleepers[id] else { return .cancel }
                    if case .cancelled = sleeper.state {
                        state.sleepers[id] = nil
                        return .cancel
                    }
                    if deadline <= state.now {
                        state.sleepers[id] = nil
                        return .resume
                    }
                    state.sleepers[id]?.state = .parked(continuation)
                    return .park(state.satisfiedWaiters())
                }
                switch action {
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                case .park(let waiters): for waiter in waiters { waiter.resume() }
                }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let sleeper = state.sleepers[id] else { return nil }
                switch sleeper.state {
                case .pending:
                    state.sleepers[id]?.state = .cancelled
                    return nil
                case .parked(let continuation):
                    state.sleepers[id] = nil
                    return continuation
                case .cancelled:
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `duration` and wakes every sleeper whose deadline has been reached.
    public func advance(by duration: Duration) {
        let target = state.withLock { $0.now.addingTimeInterval(duration.timeInterval) }
        advance(to: target)
    }

    /// Moves time to `date` (never backwards: an earlier date leaves the clock where it is) and wakes every sleeper
    /// whose deadline has been reached, earliest deadline first.
    public func advance(to date: Date) {
        let due = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            if date > state.now { state.now = date }
            var due: [(deadline: Date, continuation: CheckedContinuation<Void, any Error>)] = []
            for (id, sleeper) in state.sleepers where sleeper.deadline <= state.now {
                if case .parked(let continuation) = sleeper.state {
                    due.append((sleeper.deadline, continuation))
                    state.sleepers[id] = nil
                }
            }
            return due.sorted { $0.deadline < $1.deadline }.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Suspends until at least `count` tasks are parked in ``sleep(until:)``; throws `CancellationError` if the
    /// waiting task is cancelled (for example by a test's time limit).
    public func waitForSleepers(count: Int) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            state.waiters[state.nextID] = Waiter(count: count, state: .pending)
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result = state.withLock { state -> Result<Void, CancellationError>? in
                    guard let waiter = state.waiters[id] else { return .failure(CancellationError()) }
                    if case .cancelled = waiter.state {
                        state.waiters[id] = nil
                        return .failure(CancellationError())
                    }
                    if state.parkedCount >= count {
                        state.waiters[id] = nil
                        return .success(())
                    }
                    state.waiters[id]?.state = .parked(continuation)
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let waiter = state.waiters[id] else { return nil }
                switch waiter.state {
                case .pending:
                    state.waiters[id]?.state = .cancelled
                    return nil
                case .parked(let continuation):
                    state.waiters[id] = nil
                    return continuation
                case .cancelled:
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }
}
