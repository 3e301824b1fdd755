import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed number of threads of its own with one FIFO queue: where RideEase runs work that must not hold a Swift
/// concurrency thread. ``Offload/io`` and ``Offload/cpu`` are the two instances; apart from NIO's event loops,
/// nothing else in RideEase makes threads.
///
/// The rule. In `rideease serve`, Swift concurrency's jobs run on NIO's event loops, so a concurrency thread that
/// blocks or computes for long also stops the network I/O of every connection on its loop.
/// - Through ``Offload/io`` (``run(_:)``): every call that waits on the kernel for an unbounded time, such as a file
///   write or `fsync`.
/// - Through ``Offload/cpu``: CPU work of more than about a millisecond (a training fit, decoding a model
///   artifact, evaluation), either as a closure with ``run(_:)``, as whole tasks that prefer the pool
///   (`withTaskExecutorPreference(Offload.cpu)`: heavy handlers, background tasks), or split into chunks with
///   ``forEach(chunks:workers:_:)``.
/// - On concurrency threads: everything short and non-blocking, including page-cache reads of small files, where
///   a hop to another thread costs more than it saves; and network I/O, which is asynchronous anyway.
///
/// Why bounded: an unbounded pool turns a burst (a thousand queued `fsync`s, ten concurrent trainings) into as
/// many threads, each with its stack, all competing for the same cores or the same disk, and hides the backlog.
/// A fixed pool keeps the backlog in a queue that `/metrics` shows (``statistics``) and lets the cores that serve
/// requests keep their share. The price of a bound: a job must never block waiting for another job of its pool
/// (a semaphore released by a task that prefers the pool, say), or a full pool deadlocks. The fan-out is the one
/// way to wait for the pool from the pool, and it cannot deadlock (see ``forEach(chunks:workers:_:)``); an `async`
/// task that prefers the pool suspends instead of blocking, so it may await anything.
public final class OffloadPool: TaskExecutor {
    /// The prefix of its threads' names.
    public let name: String
    private let queue: OffloadQueue

    /// Bytes of stack per thread: fits and artifact decoding ran on 8 MiB threads before the pool existed, and
    /// their stack use is their own business, so every pool thread gets a main thread's stack, not a secondary
    /// thread's default (512 KiB on macOS).
    public static let stackSize = 8 << 20

    /// Starts `threads` threads (at least one) that run this pool's jobs in the order they were queued. `idle`
    /// threads run only on a core nothing else wants (Linux's `SCHED_IDLE`; elsewhere at normal priority).
    public init(name: String, threads: Int, idle: Bool = false) {
        self.name = name
        queue = OffloadQueue(threads: max(1, threads))
        let executor = asUnownedTaskExecutor()
        for index in 0..<queue.threads {
            let thread = Thread { [queue] in
                OffloadThreadMarker.set(queue)
                if idle { Self.runOnlyWhenIdle("\(name).\(index)") }
                queue.serve(thread: index, executor: executor)
            }
            thread.stackSize = Self.stackSize
            thread.name = "\(name).\(index)"
            thread.start()
        }
    }

    deinit {
        // Only pools made for a while (tests) end; each thread takes one stop after the work queued before it.
        for _ in 0..<queue.threads { queue.push(.stop) }
    }

    /// The number of threads.
    public var threadCount: Int { queue.threads }

    /// `SCHED_IDLE` (sched(7)): the thread gets a core only when no normal thread is runnable on it, which a nice
    /// value cannot promise (nice 19 still takes about 1.5 % against each busy nice-0 thread and preempts them at
    /// wake-up). `sched_setscheduler(0, …)` sets the calling thread's policy on Linux. The constant is a GNU extension
    /// the Glibc module does not import, hence its value.
    private static func runOnlyWhenIdle(_ thread: String) {
        #if os(Linux)
        let schedIdle: Int32 = 5
        var parameter = sched_param(sched_priority: 0)
        if sched_setscheduler(0, schedIdle, &parameter) != 0 {
            FileHandle.standardError.write(Data("\(thread): could not switch to SCHED_IDLE\n".utf8))
        }
        #endif
    }

    /// The counters `/metrics` exposes.
    public var statistics: OffloadStatistics {
        OffloadStatistics(
            threads: queue.threads,
            queued: queue.queued.load(ordering: .relaxed),
            running: queue.running.load(ordering: .relaxed),
            completed: queue.completed.load(ordering: .relaxed))
    }

    /// Whether the caller runs on one of this pool's threads.
    public var isCurrent: Bool { OffloadThreadMarker.isServing(queue) }

    /// Runs a job of a task that prefers this pool (`withTaskExecutorPreference`).
    public func enqueue(_ job: consuming ExecutorJob) {
        queue.push(.task(UnownedJob(job)))
    }

    /// Queues `work` behind the jobs already queued; it runs on one of the pool's threads.
    func submit(_ work: @escaping @Sendable () -> Void) {
        queue.push(.closure(work))
    }

    /// Runs `work` on one of the pool's threads and resumes the caller with its result or its error.
    ///
    /// The caller's thread is free while `work` waits in the queue and while it runs.
    public func run<Success: Sendable, Failure: Error>(
        _ work: @escaping @Sendable () throws(Failure) -> Success
    ) async throws(Failure) -> Success {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Success, Failure>, Never>) in
            submit { continuation.resume(returning: Result { () throws(Failure) -> Success in try work() }) }
        }
        return try result.get()
    }
}

/// Which pool's queue the current thread serves, in a thread-specific slot set once when the thread starts.
enum OffloadThreadMarker {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static func set(_ queue: OffloadQueue) {
        pthread_setspecific(key, Unmanaged.passUnretained(queue).toOpaque())
    }

    /// Compares addresses only: the marked queue is never dereferenced.
    static func isServing(_ queue: OffloadQueue) -> Bool {
        pthread_getspecific(key) == Unmanaged.passUnretained(queue).toOpaque()
    }
}
