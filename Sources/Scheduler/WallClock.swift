import Foundation

/// The calendar clock that schedules, time windows and deadlines are computed against.
///
/// Production code uses ``SystemWallClock``; tests use ``VirtualClock`` and advance time instead of sleeping.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date

    /// Suspends until `deadline` has passed on this clock, or throws `CancellationError` when the task is cancelled.
    func sleep(until deadline: Date) async throws
}

/// The machine's real clock.
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        if seconds > 0 {
            try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
        } else {
            try Task.checkCancellation()
        }
    }
}
