import Dispatch
import Synchronization

/// The FIFO queue behind an ``OffloadPool`` and the loop its threads run.
///
/// Jobs leave in the order they came, but an idle thread is woken last-in first-out: the thread that went idle
/// most recently takes the next job, so a stream of one-at-a-time jobs keeps one warm thread (its caches, its
/// malloc arena) instead of cycling through all of them. The threads hold this queue, not the pool, so a pool
/// that is no longer referenced (a test's) can stop them.
final class OffloadQueue: Sendable {
    enum Job: Sendable {
        case task(UnownedJob)
        case closure(@Sendable () -> Void)
        case stop
    }

    private struct Pending {
        /// Queued jobs from `head` on; taken slots are emptied at once, so a finished job's closure (and the data
        /// it captured, such as a segment's bytes) is released when it ends, not when the array is next compacted.
        var jobs: [Job?] = []
        var head = 0
        /// Threads waiting for a job, by index, the most recently idle last.
        var idle: [Int] = []

        mutating func popFirst() -> Job? {
            guard head < jobs.count, let job = jobs[head] else { return nil }
            jobs[head] = nil
            head += 1
            // Drop the consumed prefix once it is most of the array, so the queue costs O(1) amortised per job.
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 && head * 2 >= jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    private let pending = Mutex(Pending())
    /// One per thread: signalled when the thread is taken off the idle list for a new job.
    private let wakeUps: [DispatchSemaphore]
    let threads: Int
    let queued = Atomic(0)
    let running = Atomic(0)
    let completed = Atomic(0)

    init(threads: Int) {
        self.threads = threads
        wakeUps = (0..<threads).map { _ in DispatchSemaphore(value: 0) }
    }

    func push(_ job: Job) {
        if case .stop = job {} else { queued.add(1, ordering: .relaxed) }
        let idle = pending.withLock { pending in
            pending.jobs.append(job)
            return pending.idle.popLast()
        }
        if let idle { wakeUps[idle].signal() }
    }

    /// The oldest job, sleeping until there is one.
    private func next(thread: Int) -> Job {
        while true {
            let job = pending.withLock { pending -> Job? in
                if let job = pending.popFirst() { return job }
                // Registered under the same lock a push takes, so a job pushed after this wakes this thread.
                pending.idle.append(thread)
                return nil
            }
            if let job { return job }
            // Another thread may take the job this wake-up was for first; then this one registers again.
            wakeUps[thread].wait()
        }
    }

    /// What thread `thread` of the pool runs until the pool is released.
    func serve(thread: Int, executor: UnownedTaskExecutor) {
        while true {
            let job = next(thread: thread)
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
