import Foundation
import FunctionRuntime
import Synchronization

/// Runs erasure sweeps off the request that asked for them, as a background task of the bundle: the host keeps
/// it for the life of the process and, on graceful shutdown, cancels the sweeps still running (they stay pending
/// in the store and the scheduled function resumes them).
final class ErasureRunner: BackgroundTask, Sendable {
    let name = "erasures"
    private let sweeps = Mutex<[UUID: Task<Void, Never>]>([:])

    /// Starts `work` beside the requests; returns at once.
    func start(_ work: @escaping @Sendable () async -> Void) {
        let id = UUID()
        sweeps.withLock { running in
            running[id] = Task { [weak self] in
                await work()
                _ = self?.sweeps.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Waits for the sweeps running now (tests; the CLI runs its sweep directly).
    func waitUntilIdle() async {
        while let next = sweeps.withLock({ $0.values.first }) {
            await next.value
        }
    }

    func run() async throws {
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    func shutdown() async {
        let running = sweeps.withLock { Array($0.values) }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}
