/// The few dense linear-algebra routines the models need, written by hand (no BLAS/LAPACK is available as
/// a Swift package). Matrices are square, row-major, `n × n` `Float` buffers with `n` a multiple of 8.
enum DenseLinearAlgebra {
    /// Solves `A x = b` for symmetric positive-definite `A` by Cholesky, `A = L Lᵀ`, then two triangular
    /// solves. `A` is overwritten by `L` (lower triangle); `b` is overwritten by `x`.
    /// Returns false if `A` is not numerically positive definite (the caller keeps its previous `x`).
    static func choleskySolve(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, n: Int) -> Bool {
        for j in 0..<n {
            let rowJ = a + j * n
            var diagonal = rowJ[j] - VectorKernels.dotScalar(rowJ, rowJ, count: j)
            guard diagonal > 0, diagonal.isFinite else { return false }
            diagonal = diagonal.squareRoot()
            rowJ[j] = diagonal
            for i in (j + 1)..<max(j + 1, n) {
                let rowI = a + i * n
                rowI[j] = (rowI[j] - VectorKernels.dotScalar(rowI, rowJ, count: j)) / diagonal
            }
        }
        // L y = b
        for i in 0..<n {
            let rowI = a + i * n
            b[i] = (b[i] - VectorKernels.dotScalar(rowI, b, count: i)) / rowI[i]
        }
        // Lᵀ x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[i]
            for k in (i + 1)..<max(i + 1, n) { sum -= a[k * n + i] * b[k] }
            b[i] = sum / a[i * n + i]
        }
        return true
    }

    /// Inverts a symmetric positive-definite matrix in place by Gauss–Jordan elimination without pivoting
    /// (pivoting is unnecessary for SPD matrices). `n³` operations, each row update a SIMD `axpy`.
    /// Returns false when a pivot is not positive (not SPD), leaving the buffer unspecified.
    static func invertSymmetricPositiveDefinite(_ a: UnsafeMutablePointer<Float>, n: Int) -> Bool {
        for k in 0..<n {
            let rowK = a + k * n
            let pivot = rowK[k]
            guard pivot > 0, pivot.isFinite else { return false }
            rowK[k] = 1
            let inverse = 1 / pivot
            var offset = 0
            while offset < n {
                VectorKernels.store(VectorKernels.load(rowK, offset) * inverse, rowK, offset)
                offset += VectorKernels.lanes
            }
            for i in 0..<n where i != k {
                let rowI = a + i * n
                let factor = rowI[k]
                if factor == 0 { continue }
                rowI[k] = 0
                VectorKernels.axpy(-factor, rowK, rowI, length: n)
            }
        }
        return true
    }
}

extension VectorKernels {
    /// Plain dot product of any length (the triangular parts of Cholesky are not padded).
    @inline(__always)
    static func dotScalar(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = SIMD8<Float>()
        var offset = 0
        while offset + lanes <= count {
            accumulator += load(a, offset) * load(b, offset)
            offset += lanes
        }
        var sum = accumulator.sum()
        while offset < count {
            sum += a[offset] * b[offset]
            offset += 1
        }
        return sum
    }
}
