import Dispatch
import Synchronization

/// Holds jobs on a pool's threads until a test opens it, and counts how many reached it.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let arrivedCount = Atomic(0)

    /// Jobs that reached ``wait()`` so far.
    var arrived: Int { arrivedCount.load(ordering: .relaxed) }

    /// Blocks the calling thread until ``open(for:)``; false if that took more than 30 s.
    @discardableResult
    func wait() -> Bool {
        arrivedCount.add(1, ordering: .relaxed)
        return semaphore.wait(timeout: .now() + 30) == .success
    }

    /// Lets `count` waiting (or future) jobs through.
    func open(for count: Int) {
        for _ in 0..<count { semaphore.signal() }
    }

    /// Sleeps (without holding a thread) until `count` jobs arrived.
    func waitUntilArrived(_ count: Int) async throws {
        while arrived < count { try await Task.sleep(for: .milliseconds(2)) }
    }
}

/// Whether `condition` became true within 30 s, checked every 2 ms; a test that polls fails instead of hanging.
func eventually(_ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(30)
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try await Task.sleep(for: .milliseconds(2))
    }
    return true
}
