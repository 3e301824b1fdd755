import Foundation

/// Fits ``ALSModel`` by implicit alternating least squares (Hu, Koren & Volinsky 2008).
///
/// Loss, with confidence `c_ui = 1 + α r_ui` and preference `p_ui = 1` on observed pairs (0 elsewhere):
/// `Σ_{u,i} c_ui (p_ui − x_uᵀy_i)² + Σ_u λ_u‖x_u‖² + Σ_i λ_i‖y_i‖²`. Each half-step solves, per row,
/// `(YᵀY + Yᵀ(C_u − I)Y + λ_u I) x_u = Yᵀ C_u p(u)`; `YᵀY` is computed once per half-step so a row costs
/// only its observed items. Solves are warm-started conjugate gradient (Takács, Pilászy & Tikk 2011) or
/// exact Cholesky. Rows of a half-step are solved in parallel chunks and `YᵀY` is summed in fixed blocks, so a
/// seeded fit is bit-for-bit reproducible whatever the thread count.
public enum ALSTrainer {
    /// The threads a fit uses when the caller does not say: every active core.
    public static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Called after each full iteration with its 1-based number, seconds since the fit started and, when
    /// requested, the training loss (which an exact solve never increases).
    public typealias Progress = (_ iteration: Int, _ seconds: Double, _ loss: Double?) -> Void

    /// Fits the model.
    /// - Parameter computeLoss: evaluates the full loss each iteration, `O(nnz·f + (m+n)·f²)` extra.
    public static func fit(
        _ matrix: InteractionMatrix,
        configuration: ALSConfiguration,
        computeLoss: Bool = true,
        threads: Int? = nil,
        progress: Progress? = nil
    ) throws(RecommenderError) -> ALSModel {
        let threads = max(1, threads ?? defaultThreadCount)
        try configuration.validate()
        guard matrix.nonZeroCount > 0 else { throw .insufficientData("no interactions to train iALS on") }
        let clock = ContinuousClock()
        let start = clock.now
        let stride = VectorKernels.paddedLength(configuration.factors)
        var random = SeededGenerator(seed: configuration.seed)
        // Rendle et al. 2021 initialise with N(0, (0.1/√f)²); tiny factors keep the first solves stable.
        let scale = 0.1 / Double(configuration.factors).squareRoot()
        func initial(_ rows: Int) -> [Float] {
            var values = [Float](repeating: 0, count: rows * stride)
            for row in 0..<rows {
                for lane in 0..<configuration.factors {
                    values[row * stride + lane] = Float(random.nextGaussian() * scale)
                }
            }
            return values
        }
        var itemFactors = initial(matrix.items.count)
        var userFactors = initial(matrix.users.count)
        let userSide = HalfStep(
            offsets: matrix.userOffsets, indices: matrix.userItems, weights: matrix.userWeights,
            fixedCount: matrix.items.count, stride: stride, configuration: configuration
        )
        let itemSide = HalfStep(
            offsets: matrix.itemOffsets, indices: matrix.itemUsers, weights: matrix.itemWeights,
            fixedCount: matrix.users.count, stride: stride, configuration: configuration
        )
        for iteration in 1...configuration.iterations {
            userSide.solve(targets: &userFactors, fixed: itemFactors, threads: threads)
            itemSide.solve(targets: &itemFactors, fixed: userFactors, threads: threads)
            let loss =
                computeLoss
                ? userSide.loss(targets: userFactors, fixed: itemFactors, other: itemSide, threads: threads) : nil
            if let progress {
                let elapsed = start.duration(to: clock.now)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                progress(iteration, seconds, loss)
            }
        }
        return ALSModel(
            history: matrix, configuration: configuration, userFactors: userFactors, itemFactors: itemFactors
        )
    }
}
