/// EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): an item–item weight matrix
/// `B = I − P · diagMat(1 / diag(P))` with zero diagonal, `P = (XᵀX + λI)⁻¹` over the binarised matrix
/// `X`. A user's scores are `x_u B`, i.e. the sum of the rows of `B` for the items in their history.
public struct EASEModel: RecommendationModel, Equatable {
    /// The training matrix (ids and the histories scores are computed from).
    public let history: InteractionMatrix
    /// The hyperparameters the model was fit with.
    public let configuration: EASEConfiguration
    /// Floats per stored row: the item count padded to a multiple of 8.
    let stride: Int
    /// `items.count × stride`, row-major; row `i` holds the weights item `i` lends to every item.
    let weights: [Float]

    init(history: InteractionMatrix, configuration: EASEConfiguration, weights: [Float]) {
        self.history = history
        self.configuration = configuration
        self.stride = VectorKernels.paddedLength(history.items.count)
        self.weights = weights
    }

    /// The largest catalog EASE accepts: the dense `n × n` inverse takes `4n²` bytes and `n³` operations.
    public static let maximumItems = 12_000

    /// Fits EASE in closed form.
    public static func fit(
        _ matrix: InteractionMatrix, configuration: EASEConfiguration
    ) throws(RecommenderError) -> EASEModel {
        try configuration.validate()
        let n = matrix.items.count
        guard n > 0 else { throw .insufficientData("no items to train EASE on") }
        guard n <= maximumItems else {
            throw .invalidConfiguration("EASE supports at most \(maximumItems) items, the catalog has \(n)")
        }
        let stride = VectorKernels.paddedLength(n)
        var matrixP = [Float](repeating: 0, count: stride * stride)
        let lambda = Float(configuration.regularization)
        let inverted = matrixP.withUnsafeMutableBufferPointer { buffer -> Bool in
            let g = buffer.baseAddress!
            // Gram XᵀX of the binarised data: each user adds 1 to every pair of items they share.
            for user in 0..<matrix.users.count {
                let row = matrix.row(user).items
                for a in row { for b in row { g[Int(a) * stride + Int(b)] += 1 } }
            }
            for item in 0..<stride { g[item * stride + item] += item < n ? lambda : 1 }
            guard DenseLinearAlgebra.invertSymmetricPositiveDefinite(g, n: stride) else { return false }
            // B_ij = −P_ij / P_jj for i ≠ j, B_ii = 0; padding columns get weight 0.
            var scale = [Float](repeating: 0, count: stride)
            for item in 0..<n { scale[item] = -1 / g[item * stride + item] }
            scale.withUnsafeBufferPointer { s in
                for row in 0..<n {
                    let r = g + row * stride
                    var offset = 0
                    while offset < stride {
                        VectorKernels.store(
                            VectorKernels.load(r, offset) * VectorKernels.load(s.baseAddress!, offset), r, offset)
                        offset += VectorKernels.lanes
                    }
                    r[row] = 0
                }
            }
            for row in n..<stride { (g + row * stride).update(repeating: 0, count: stride) }
            return true
        }
        guard inverted else {
            throw .invalidConfiguration("EASE Gram matrix is not positive definite; increase regularization")
        }
        return EASEModel(history: matrix, configuration: configuration, weights: matrixP)
    }

    public var users: IdIndex { history.users }
    public var items: IdIndex { history.items }

    public func scores(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        var sum = [Float](repeating: 0, count: stride)
        weights.withUnsafeBufferPointer { w in
            sum.withUnsafeMutableBufferPointer { s in
                for item in history.row(user).items {
                    VectorKernels.axpy(1, w.baseAddress! + Int(item) * stride, s.baseAddress!, length: stride)
                }
            }
        }
        for item in 0..<items.count { scores[item] = sum[item] }
    }

    public func seenItems(ofUser user: Int) -> ArraySlice<Int32> { history.row(user).items }
}
