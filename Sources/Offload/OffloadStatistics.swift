/// A pool's counters at one moment, for the `/metrics` gauges and for tests.
///
/// Each counter is read atomically, but not all four at once: under load, a job moving from the queue to a thread
/// can be seen in both or in neither of `queued` and `running` for that instant.
public struct OffloadStatistics: Sendable, Equatable {
    /// Threads the pool owns (fixed when it is made).
    public var threads: Int
    /// Jobs waiting for a free thread: the queue depth.
    public var queued: Int
    /// Jobs running on a thread now; never more than ``threads``.
    public var running: Int
    /// Jobs finished since the pool was made.
    public var completed: Int

    /// Creates a snapshot.
    public init(threads: Int, queued: Int, running: Int, completed: Int) {
        self.threads = threads
        self.queued = queued
        self.running = running
        self.completed = completed
    }
}
