import Synchronization

/// One timer for the deadlines of every invocation in flight.
///
/// A sleeping task per request would arm one Dispatch timer per request (the serving benchmark's profile showed
/// Dispatch's timer manager among the top costs); here a registration is a dictionary insert under a lock, and a
/// single loop checks for expired deadlines every ``resolution`` while any are pending. It stops when none are,
/// so an idle process (or a test's invoker) keeps no task alive.
final class DeadlineTimer: Sendable {
    /// How late a deadline may fire at most.
    static let resolution: Duration = .milliseconds(20)

    private struct Entry {
        var deadline: ContinuousClock.Instant
        var fire: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextId: UInt64 = 0
        var looping = false
    }

    private let state = Mutex(State())

    /// Calls `fire` once `deadline` has passed, unless ``cancel(_:)`` comes first.
    func schedule(at deadline: ContinuousClock.Instant, _ fire: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, startLoop) = state.withLock { state in
            let id = state.nextId
            state.nextId += 1
            state.entries[id] = Entry(deadline: deadline, fire: fire)
            defer { state.looping = true }
            return (id, !state.looping)
        }
        // Unstructured (not detached): the loop outlives the registering request, and ends by itself when idle.
        if startLoop { Task { await self.loop() } }
        return id
    }

    /// Forgets a deadline that no longer matters (its operation finished).
    func cancel(_ id: UInt64) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    private func loop() async {
        while true {
            try? await Task.sleep(for: Self.resolution)
            let now = ContinuousClock.now
            let (due, idle) = state.withLock { state in
                let due = state.entries.filter { $0.value.deadline <= now }
                for id in due.keys { state.entries[id] = nil }
                if state.entries.isEmpty { state.looping = false }
                return (due.values.map(\.fire), state.entries.isEmpty)
            }
            for fire in due { fire() }
            if idle { return }
        }
    }
}
