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
