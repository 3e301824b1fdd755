import Dispatch

/// Runs file writes and `fsync`s on threads of their own, never on Swift concurrency's threads.
///
/// Those threads serve requests, and there are only as many as cores. An `fsync` waits milliseconds for the disk;
/// while it does, every request queued behind that thread waits too. Measured before this existed: each trace
/// segment flush stalled requests for 10–30 ms, every 0.2 s under load. Dispatch runs this queue's work on its own
/// (overcommit) threads, so a waiting write holds one of those instead.
enum BlockingFileIO {
    private static let queue = DispatchQueue(label: "rideease.storage.file-io", attributes: .concurrent)

    static func run<T: Sendable>(
        _ work: @escaping @Sendable () throws(StorageError) -> T
    ) async throws(StorageError) -> T {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<T, StorageError>, Never>) in
            queue.async { continuation.resume(returning: Result { () throws(StorageError) -> T in try work() }) }
        }
        return try result.get()
    }
}
