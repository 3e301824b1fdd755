/// SIMD kernels over contiguous `Float` rows whose length is a multiple of ``VectorKernels/lanes``.
///
/// Factor rows are zero-padded to a multiple of 8 so every loop is whole `SIMD8<Float>` steps with no
/// scalar tail. We add products with `*` and `+` rather than `addingProduct`: on baseline x86-64 (no FMA)
/// the fused form lowers to a libm call per lane, which is far slower. The same kernels serve training,
/// offline evaluation and request-time scoring.
enum VectorKernels {
    /// Width of the SIMD vectors used throughout.
    static let lanes = 8

    /// `count` rounded up to a whole number of SIMD vectors.
    static func paddedLength(_ count: Int) -> Int {
        (count + lanes - 1) / lanes * lanes
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>, _ offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(pointer + offset).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>, _ offset: Int) {
        UnsafeMutableRawPointer(pointer + offset).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// `a · b` over `length` floats (a multiple of 8); two accumulators hide the add latency.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, length: Int) -> Float {
        var even = SIMD8<Float>()
        var odd = SIMD8<Float>()
        var offset = 0
        while offset + 2 * lanes <= length {
            even += load(a, offset) * load(b, offset)
            odd += load(a, offset + lanes) * load(b, offset + lanes)
            offset += 2 * lanes
        }
        if offset < length { even += load(a, offset) * load(b, offset) }
        return (even + odd).sum()
    }

    /// `y += alpha * x` over `length` floats (a multiple of 8).
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, length: Int) {
        let scale = SIMD8<Float>(repeating: alpha)
        var offset = 0
        while offset < length {
            store(load(y, offset) + scale * load(x, offset), y, offset)
            offset += lanes
        }
    }

    /// `out[r] = rows[r] · vector` for `rowCount` rows of `stride` floats: scores of every item at once.
    static func matrixVector(
        _ rows: UnsafePointer<Float>,
        rowCount: Int,
        stride: Int,
        vector: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>
    ) {
        for row in 0..<rowCount {
            out[row] = dot(rows + row * stride, vector, length: stride)
        }
    }
}
