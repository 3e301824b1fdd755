import Dispatch
import Synchronization

/// The FIFO queue behind an ``OffloadPool`` and the loop its threads run.
///
/// The threads hold this queue, not the pool, so a pool that is no longer referenced (a test's) can stop them.
final class OffloadQueue: Sendable {
    enum Job: Sendable {
        case task(UnownedJob)
        case closure(@Sendable () -> Void)
        case stop
    }

    private struct Pending {
        var jobs: [Job] = []
        var head = 0
    }

    private let pending = Mutex(Pending())
    /// Counts the jobs in `pending`, so a thread sleeps until there is one to take.
    private let available = DispatchSemaphore(value: 0)
    let threads: Int
    let queued = Atomic(0)
    let running = Atomic(0)
    let completed = Atomic(0)

    init(threads: Int) {
        self.threads = threads
    }

    func push(_ job: Job) {
        if case .stop = job {} else { queued.add(1, ordering: .relaxed) }
        pending.withLock { $0.jobs.append(job) }
        available.signal()
    }

    /// The oldest job, waiting for one if there is none.
    private func pop() -> Job {
        available.wait()
        return pending.withLock { pending in
            let job = pending.jobs[pending.head]
            pending.head += 1
            // Drop the consumed prefix once it is most of the array, so the queue costs O(1) amortised per job.
            if pending.head >= 64 && pending.head * 2 >= pending.jobs.count {
                pending.jobs.removeFirst(pending.head)
                pending.head = 0
            }
            return job
        }
    }

    /// What each of the pool's threads runs until the pool is released.
    func serve(executor: UnownedTaskExecutor) {
        while true {
            let job = pop()
            if case .stop = job { return }
            // Counted as running before it leaves the queue count, so a snapshot never misses a job entirely.
            running.add(1, ordering: .relaxed)
            queued.subtract(1, ordering: .relaxed)
            switch job {
            case .task(let task): task.runSynchronously(on: executor)
            case .closure(let work): work()
            case .stop: break
            }
            completed.add(1, ordering: .relaxed)
            running.subtract(1, ordering: .relaxed)
        }
    }
}
