import Foundation
import Offload
import Synchronization
import Testing

@testable import Storage

@Suite("blocking file I/O goes to Offload.io, off the concurrency threads")
struct FileIOOffloadTests {
    /// More calls wait at once than Swift concurrency has threads, and only an ordinary task can release them. If
    /// the calls ran on the concurrency threads, that task could not run until their waits timed out. The calls
    /// have the shape of `FileStore`'s: a closure that throws `StorageError`.
    @Test func waitingCallsDoNotHoldTheConcurrencyThreads() async throws {
        let waiting = ProcessInfo.processInfo.activeProcessorCount + 2
        let gate = DispatchSemaphore(value: 0)
        let started = StartedCount()
        let opened = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<waiting {
                group.addTask {
                    try await Offload.io.run { () throws(StorageError) -> Bool in
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
        await #expect(throws: StorageError.io(path: "/nowhere", operation: "fsync", errno: EIO)) {
            try await Offload.io.run { () throws(StorageError) -> Int in
                throw .io(path: "/nowhere", operation: "fsync", errno: EIO)
            }
        }
    }

    /// Every `Offload.io` thread is held: a `FileStore` write must wait for one, and finish once they are free.
    @Test func fileStoreWritesWaitForAnIOThread() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-io-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        let threads = Offload.io.threadCount
        let gate = DispatchSemaphore(value: 0)
        let held = StartedCount()
        let written = StartedCount()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<threads {
                group.addTask {
                    await Offload.io.run {
                        held.value.add(1, ordering: .relaxed)
                        _ = gate.wait(timeout: .now() + 30)
                    }
                }
            }
            while held.value.load(ordering: .relaxed) < threads { try await Task.sleep(for: .milliseconds(2)) }
            group.addTask {
                try await store.put("a/b.txt", data: Data("x".utf8), precondition: .none)
                written.value.add(1, ordering: .relaxed)
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(written.value.load(ordering: .relaxed) == 0, "the write finished without an Offload.io thread")
            for _ in 0..<threads { gate.signal() }
            try await group.waitForAll()
        }
        #expect(written.value.load(ordering: .relaxed) == 1)
        #expect(try await store.get("a/b.txt")?.data == Data("x".utf8))
    }
}

private final class StartedCount: Sendable {
    let value = Atomic(0)
}
