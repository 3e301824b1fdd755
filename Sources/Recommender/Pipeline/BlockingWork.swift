import Foundation

/// Runs CPU-heavy work (a training fit, decoding a model artifact) on its own thread, so the concurrency threads
/// that serve requests (in `rideease serve`, NIO's event loops) are never held for long by one job.
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
