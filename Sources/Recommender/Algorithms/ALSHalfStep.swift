import Foundation
import Offload

/// One side of an iALS alternation: re-solves every "target" row (users, or items) against the fixed
/// factors of the other side, reading the sparse matrix in the orientation where targets are rows.
struct HalfStep {
    let offsets: [Int]
    let indices: [Int32]
    let weights: [Float]
    let fixedCount: Int
    let stride: Int
    let factors: Int
    let alpha: Float
    let conjugateGradientSteps: Int
    /// `λ_u = λ · (Σᵢ c_ui)^ν` per target row (Rendle et al. 2021's frequency scaling; ν = 0 is constant λ).
    let penalties: [Float]

    init(
        offsets: [Int], indices: [Int32], weights: [Float], fixedCount: Int, stride: Int,
        configuration: ALSConfiguration
    ) {
        self.offsets = offsets
        self.indices = indices
        self.weights = weights
        self.fixedCount = fixedCount
        self.stride = stride
        self.factors = configuration.factors
        self.alpha = Float(configuration.alpha)
        self.conjugateGradientSteps = configuration.conjugateGradientSteps
        self.penalties = (0..<(offsets.count - 1)).map { row in
            let observed = weights[offsets[row]..<offsets[row + 1]].reduce(0.0) { $0 + Double($1) }
            let totalConfidence = Double(fixedCount) + configuration.alpha * observed
            return Float(configuration.regularization * pow(totalConfidence, configuration.frequencyScaling))
        }
    }

    /// Fixed rows per block of the Gram sum. Blocks, not threads, fix the summation order, so `FᵀF` is the
    /// same bit for bit whatever the thread count.
    static let gramBlockRows = 4_096

    /// Target rows per parallel work item: large enough to amortise dispatch, small enough to balance.
    static let solveChunkRows = 1_024

    /// `FᵀF` over all fixed rows, `stride × stride`: per-block partial sums in parallel, then added in block order.
    func gram(_ fixed: UnsafePointer<Float>, threads: Int = 1) -> [Float] {
        let size = stride * stride
        let blocks = (fixedCount + Self.gramBlockRows - 1) / Self.gramBlockRows
        var partials = [Float](repeating: 0, count: max(blocks, 1) * size)
        partials.withUnsafeMutableBufferPointer { buffer in
            let base = SendablePointer(buffer.baseAddress!)
            let source = SendablePointer(UnsafeMutablePointer(mutating: fixed))
            Offload.cpu.forEach(chunks: blocks, workers: threads) { block in
                let g = base.pointer + block * size
                let rows = (block * Self.gramBlockRows)..<min(fixedCount, (block + 1) * Self.gramBlockRows)
                for row in rows {
                    let y = source.pointer + row * stride
                    for lane in 0..<factors where y[lane] != 0 {
                        VectorKernels.axpy(y[lane], y, g + lane * stride, length: stride)
                    }
                }
            }
        }
        var gram = Array(partials.prefix(size))
        gram.withUnsafeMutableBufferPointer { g in
            partials.withUnsafeBufferPointer { p in
                for block in 1..<max(blocks, 1) {
                    VectorKernels.axpy(1, p.baseAddress! + block * size, g.baseAddress!, length: size)
                }
            }
        }
        return gram
    }

    /// Re-solves every target row. Rows are independent given `FᵀF`, so chunks of rows run on `threads`
    /// threads, each with its own scratch, and the result does not depend on the thread count.
    func solve(targets: inout [Float], fixed: [Float], threads: Int = 1) {
        let rowCount = offsets.count - 1
        let chunks = (rowCount + Self.solveChunkRows - 1) / Self.solveChunkRows
        let workers = max(1, min(threads, chunks))
        fixed.withUnsafeBufferPointer { fixedBuffer in
            let y = SendablePointer(UnsafeMutablePointer(mutating: fixedBuffer.baseAddress!))
            let gram = gram(y.pointer, threads: threads)
            var scratch = [Float](repeating: 0, count: workers * (4 * stride + stride * stride))
            gram.withUnsafeBufferPointer { g in
                let gramPointer = SendablePointer(UnsafeMutablePointer(mutating: g.baseAddress!))
                scratch.withUnsafeMutableBufferPointer { s in
                    let scratchBase = SendablePointer(s.baseAddress!)
                    targets.withUnsafeMutableBufferPointer { t in
                        let targetBase = SendablePointer(t.baseAddress!)
                        Offload.cpu.forEach(chunks: chunks, workers: workers) { chunk, worker in
                            let own = scratchBase.pointer + worker * (4 * stride + stride * stride)
                            let rows = (chunk * Self.solveChunkRows)..<min(rowCount, (chunk + 1) * Self.solveChunkRows)
                            for row in rows {
                                solveRow(
                                    row, x: targetBase.pointer + row * stride, fixed: y.pointer,
                                    gram: gramPointer.pointer, scratch: own)
                            }
                        }
                    }
                }
            }
        }
    }

    private func solveRow(
        _ row: Int, x: UnsafeMutablePointer<Float>, fixed y: UnsafePointer<Float>,
        gram: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let span = offsets[row]..<offsets[row + 1]
        guard !span.isEmpty else {
            // No observations: the minimiser of Σ_i xᵀy_i² + λ‖x‖² is x = 0.
            x.update(repeating: 0, count: stride)
            return
        }
        let b = scratch, r = scratch + stride, p = scratch + 2 * stride, ap = scratch + 3 * stride
        // b = Yᵀ C_u p(u) = Σ_{i ∈ I_u} c_ui y_i
        b.update(repeating: 0, count: stride)
        for position in span {
            VectorKernels.axpy(1 + alpha * weights[position], y + Int(indices[position]) * stride, b, length: stride)
        }
        let penalty = penalties[row]
        if conjugateGradientSteps == 0 {
            let a = scratch + 4 * stride
            a.update(from: gram, count: stride * stride)
            for position in span {
                let item = y + Int(indices[position]) * stride
                let extra = alpha * weights[position]  // c_ui − 1
                for lane in 0..<factors where item[lane] != 0 {
                    VectorKernels.axpy(extra * item[lane], item, a + lane * stride, length: stride)
                }
            }
            for lane in 0..<stride { a[lane * stride + lane] += penalty }
            if DenseLinearAlgebra.choleskySolve(a, b, n: stride) { x.update(from: b, count: stride) }
            return
        }
        // Conjugate gradient on A x = b, warm-started from the previous iterate.
        multiply(x, into: ap, span: span, fixed: y, gram: gram, penalty: penalty)
        for lane in 0..<stride { r[lane] = b[lane] - ap[lane] }
        p.update(from: r, count: stride)
        var residual = VectorKernels.dot(r, r, length: stride)
        for _ in 0..<conjugateGradientSteps {
            if residual < 1e-12 { break }
            multiply(p, into: ap, span: span, fixed: y, gram: gram, penalty: penalty)
            let curvature = VectorKernels.dot(p, ap, length: stride)
            guard curvature > 0 else { break }
            let step = residual / curvature
            VectorKernels.axpy(step, p, x, length: stride)
            VectorKernels.axpy(-step, ap, r, length: stride)
            let next = VectorKernels.dot(r, r, length: stride)
            let beta = next / residual
            for lane in 0..<stride { p[lane] = r[lane] + beta * p[lane] }
            residual = next
        }
    }

    /// `out = (YᵀY + Σ_{i∈I_u} (c_ui − 1) y_i y_iᵀ + λ_u I) v` without forming the matrix.
    private func multiply(
        _ v: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, span: Range<Int>,
        fixed y: UnsafePointer<Float>, gram: UnsafePointer<Float>, penalty: Float
    ) {
        for lane in 0..<stride {
            out[lane] = VectorKernels.dot(gram + lane * stride, v, length: stride) + penalty * v[lane]
        }
        for position in span {
            let item = y + Int(indices[position]) * stride
            let projection = alpha * weights[position] * VectorKernels.dot(item, v, length: stride)
            VectorKernels.axpy(projection, item, out, length: stride)
        }
    }

    /// `Σ_rows λ_row ‖t_row‖²`.
    func regularization(_ targets: [Float]) -> Double {
        targets.withUnsafeBufferPointer { t in
            (0..<penalties.count).reduce(0.0) { total, row in
                let v = t.baseAddress! + row * stride
                return total + Double(penalties[row]) * Double(VectorKernels.dot(v, v, length: stride))
            }
        }
    }

    /// The full iALS loss, with targets as rows: observed terms, the all-pairs term via `Σ_u x_uᵀ(YᵀY)x_u`
    /// (so the `m × n` unobserved pairs are never visited), and both penalties. Rows are summed per chunk in
    /// parallel and the chunk sums added in chunk order, so the value does not depend on the thread count.
    func loss(targets: [Float], fixed: [Float], other: HalfStep, threads: Int = 1) -> Double {
        let rowCount = penalties.count
        let chunks = (rowCount + Self.solveChunkRows - 1) / Self.solveChunkRows
        let workers = max(1, min(threads, chunks))
        var sums = [Double](repeating: 0, count: chunks)
        var scratch = [Float](repeating: 0, count: workers * stride)
        targets.withUnsafeBufferPointer { t in
            fixed.withUnsafeBufferPointer { f in
                let x0 = SendablePointer(UnsafeMutablePointer(mutating: t.baseAddress!))
                let y0 = SendablePointer(UnsafeMutablePointer(mutating: f.baseAddress!))
                let gram = gram(y0.pointer, threads: threads)
                gram.withUnsafeBufferPointer { g in
                    let g0 = SendablePointer(UnsafeMutablePointer(mutating: g.baseAddress!))
                    scratch.withUnsafeMutableBufferPointer { s in
                        let s0 = SendablePointer(s.baseAddress!)
                        sums.withUnsafeMutableBufferPointer { out in
                            let sums0 = SendableDoublePointer(out.baseAddress!)
                            Offload.cpu.forEach(chunks: chunks, workers: workers) { chunk, worker in
                                let product = s0.pointer + worker * stride
                                var total = 0.0
                                let rows =
                                    (chunk * Self.solveChunkRows)..<min(rowCount, (chunk + 1) * Self.solveChunkRows)
                                for row in rows {
                                    total += rowLoss(
                                        row, x: x0.pointer + row * stride, fixed: y0.pointer, gram: g0.pointer,
                                        product: product)
                                }
                                sums0.pointer[chunk] = total
                            }
                        }
                    }
                }
            }
        }
        return sums.reduce(regularization(targets) + other.regularization(fixed), +)
    }

    /// One row's `x_uᵀ(YᵀY)x_u` plus its observed pairs' correction `c(1 − ŷ)² − ŷ²`.
    private func rowLoss(
        _ row: Int, x: UnsafePointer<Float>, fixed: UnsafePointer<Float>, gram: UnsafePointer<Float>,
        product: UnsafeMutablePointer<Float>
    ) -> Double {
        for lane in 0..<stride {
            product[lane] = VectorKernels.dot(gram + lane * stride, x, length: stride)
        }
        var total = Double(VectorKernels.dot(product, x, length: stride))
        for position in offsets[row]..<offsets[row + 1] {
            let predicted = Double(VectorKernels.dot(fixed + Int(indices[position]) * stride, x, length: stride))
            let confidence = 1 + Double(alpha) * Double(weights[position])
            // Replace the all-pairs term's ŷ² by c(1 − ŷ)² for observed pairs.
            total += confidence * (1 - predicted) * (1 - predicted) - predicted * predicted
        }
        return total
    }
}
