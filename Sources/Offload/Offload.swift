import Foundation

/// The process's pools: the same type and rule (``OffloadPool``), sized for what waits in them.
public enum Offload {
    /// Blocking file I/O: writes, `fsync`s, renames. Sixteen threads, because a waiting `fsync` uses no CPU: the
    /// width only bounds how many requests the disk gets at once. A trace and an event flush are two `fsync`s
    /// each, and a few model uploads can overlap them; sixteen is ample for one local disk, while a stuck
    /// filesystem shows as a growing queue instead of hundreds of threads.
    public static let io = OffloadPool(name: "offload.io", threads: 16)

    /// CPU-heavy work: fits, evaluations, artifact decoding, heavy handlers, background tasks. One thread per
    /// active core, because more threads than cores only time-slice the same cores and make every job finish
    /// later. At least two, so that a fit holding one thread for minutes does not queue everything else (a
    /// background flush, a summary) behind it: they take turns with its fan-out's helpers on the other.
    public static let cpu = OffloadPool(
        name: "offload.cpu", threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Work nobody waits for and that may be dropped when it falls behind (shadow scoring): one thread that runs
    /// only when a core would otherwise idle, so it takes nothing from the threads that answer riders.
    public static let background = OffloadPool(name: "offload.background", threads: 1, idle: true)

    /// The pools, with the `pool` label value each has in the metrics.
    public static var pools: [(label: String, pool: OffloadPool)] {
        [("io", io), ("cpu", cpu), ("background", background)]
    }
}
