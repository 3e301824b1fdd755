import Foundation
import Synchronization

/// Runs independent chunks of row work on a fixed number of threads with `DispatchQueue.concurrentPerform`.
///
/// Workers claim the next chunk from a shared counter, so a worker the OS starves (a busy machine) does not hold
/// back the others; since each chunk writes only its own rows (and per-chunk sums are combined in chunk order)
/// the result never depends on the thread count or on which worker ran which chunk.
enum ParallelRows {
    /// Calls `body(chunk, worker)` once for every chunk in `0..<chunks`, on at most `threads` threads.
    static func forEach(chunks: Int, threads: Int, _ body: @Sendable (_ chunk: Int, _ worker: Int) -> Void) {
        guard chunks > 0 else { return }
        let workers = max(1, min(threads, chunks))
        if workers == 1 {
            for chunk in 0..<chunks { body(chunk, 0) }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard chunk < chunks else { return }
                body(chunk, worker)
            }
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
