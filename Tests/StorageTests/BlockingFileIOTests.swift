import Foundation
import Synchronization
import Testing

@testable import Storage

@Suite("blocking file I/O stays off the concurrency threads")
struct BlockingFileIOTests {
    /// More calls wait at once than Swift concurrency has threads, and only an ordinary task can release them. If
    /// the calls ran on the concurrency threads, that task could not run until their waits timed out.
    @Test func waitingCallsDoNotHoldTheConcurrencyThreads() async throws {
        let waiting = ProcessInfo.processInfo.activeProcessorCount + 2
        let gate = DispatchSemaphore(value: 0)
        let started = StartedCount()
        let opened = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<waiting {
                group.addTask {
                    try await BlockingFileIO.run { () throws(StorageError) -> Bool in
                        started.value.add(1, ordering: .relaxed)
                        // Stands in for an fsync that takes a long time.
                        return gate.wait(timeout: .now() + 30) == .success
                    }
                }
            }
            group.addTask {
                while started.value.load(ordering: .relaxed) < waiting { try await Task.sleep(for: .milliseconds(5)) }
                for _ in 0..<waiting { gate.signal() }
                return true
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(
            opened == Array(repeating: true, count: waiting + 1), "a wait timed out: the releasing task was starved")
    }

    @Test func errorsReachTheCaller() async {
        await #expect(throws: StorageError.self) {
            try await BlockingFileIO.run { () throws(StorageError) -> Int in
                throw .io(path: "/nowhere", operation: "fsync", errno: EIO)
            }
        }
    }
}

private final class StartedCount: Sendable {
    let value = Atomic(0)
}
