import Foundation

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

    /// `FᵀF` over all fixed rows, `stride × stride`.
    func gram(_ fixed: UnsafePointer<Float>) -> [Float] {
        var gram = [Float](repeating: 0, count: stride * stride)
        gram.withUnsafeMutableBufferPointer { g in
            for row in 0..<fixedCount {
                let y = fixed + row * stride
                for lane in 0..<factors where y[lane] != 0 {
                    VectorKernels.axpy(y[lane], y, g.baseAddress! + lane * stride, length: stride)
                }
            }
        }
        return gram
    }

    func solve(targets: inout [Float], fixed: [Float]) {
        fixed.withUnsafeBufferPointer { fixedBuffer in
            let y = fixedBuffer.baseAddress!
            let gram = gram(y)
            var scratch = [Float](repeating: 0, count: 4 * stride + stride * stride)
            gram.withUnsafeBufferPointer { g in
                scratch.withUnsafeMutableBufferPointer { s in
                    targets.withUnsafeMutableBufferPointer { t in
                        for row in 0..<(offsets.count - 1) {
                            solveRow(
                                row, x: t.baseAddress! + row * stride, fixed: y, gram: g.baseAddress!,
                                scratch: s.baseAddress!)
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
    /// (so the `m × n` unobserved pairs are never visited), and both penalties.
    func loss(targets: [Float], fixed: [Float], other: HalfStep) -> Double {
        var total = regularization(targets) + other.regularization(fixed)
        targets.withUnsafeBufferPointer { t in
            fixed.withUnsafeBufferPointer { f in
                let gram = gram(f.baseAddress!)
                var product = [Float](repeating: 0, count: stride)
                gram.withUnsafeBufferPointer { g in
                    for row in 0..<penalties.count {
                        let x = t.baseAddress! + row * stride
                        for lane in 0..<stride {
                            product[lane] = VectorKernels.dot(g.baseAddress! + lane * stride, x, length: stride)
                        }
                        total += Double(
                            product.withUnsafeBufferPointer {
                                VectorKernels.dot($0.baseAddress!, x, length: stride)
                            })
                        for position in offsets[row]..<offsets[row + 1] {
                            let predicted = Double(
                                VectorKernels.dot(
                                    f.baseAddress! + Int(indices[position]) * stride, x, length: stride))
                            let confidence = 1 + Double(alpha) * Double(weights[position])
                            // Replace the all-pairs term's ŷ² by c(1 − ŷ)² for observed pairs.
                            total += confidence * (1 - predicted) * (1 - predicted) - predicted * predicted
                        }
                    }
                }
            }
        }
        return total
    }
}
