import Foundation

/// Runs CPU-heavy work (a training fit) on its own thread, so the concurrency pool that serves requests is never
/// held for seconds by one job.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
