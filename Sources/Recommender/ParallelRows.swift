import Foundation

/// Runs independent chunks of row work on a fixed number of threads with `DispatchQueue.concurrentPerform`.
///
/// Worker `w` takes chunks `w, w + threads, w + 2·threads, …`: a static assignment, so no shared counter is
/// needed, and since each chunk writes only its own rows the result never depends on the thread count.
enum ParallelRows {
    /// Calls `body(chunk, worker)` once for every chunk in `0..<chunks`, on at most `threads` threads.
    static func forEach(chunks: Int, threads: Int, _ body: @Sendable (_ chunk: Int, _ worker: Int) -> Void) {
        guard chunks > 0 else { return }
        let workers = max(1, min(threads, chunks))
        if workers == 1 {
            for chunk in 0..<chunks { body(chunk, 0) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for chunk in stride(from: worker, to: chunks, by: workers) { body(chunk, worker) }
        }
    }

    /// Calls `body(chunk)` once for every chunk in `0..<chunks`, on at most `threads` threads.
    static func forEach(chunks: Int, threads: Int, _ body: @Sendable (_ chunk: Int) -> Void) {
        forEach(chunks: chunks, threads: threads) { chunk, _ in body(chunk) }
    }
}

/// A raw pointer handed to parallel workers that write disjoint parts of one buffer (the caller guarantees
/// the buffer outlives the parallel loop and that no two workers touch the same element).
struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>

    init(_ pointer: UnsafeMutablePointer<Float>) {
        self.pointer = pointer
    }
}

/// ``SendablePointer`` for `Double` buffers (per-chunk partial sums).
struct SendableDoublePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>

    init(_ pointer: UnsafeMutablePointer<Double>) {
        self.pointer = pointer
    }
}
