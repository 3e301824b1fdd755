import Dispatch

/// Where handlers that compute for a long time run (``FunctionHandler/isCPUHeavy``): threads of their own,
/// never the threads that serve the request path.
///
/// In `rideease serve` Swift concurrency's jobs run on NIO's event loops (see the emulator's `main.swift`), so an
/// experiment summary that merges a day of tallies for 300 ms on one of them would hold up every connection of that
/// loop for as long. Under this executor's preference, the handler's code, its child tasks and the default actors it
/// calls run here instead; Dispatch gives the queue threads of its own.
public final class HeavyWorkExecutor: TaskExecutor {
    /// The one instance: its threads are shared by every heavy handler.
    public static let shared = HeavyWorkExecutor()

    private let queue = DispatchQueue(label: "rideease.heavy-work", qos: .utility, attributes: .concurrent)
    private let marker = DispatchSpecificKey<Bool>()

    private init() {
        queue.setSpecific(key: marker, value: true)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Whether the caller is running on one of this executor's threads.
    public var isCurrent: Bool { DispatchQueue.getSpecific(key: marker) == true }
}
