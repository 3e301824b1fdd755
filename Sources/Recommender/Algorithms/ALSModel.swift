/// A fitted iALS model: user and item factor matrices; the score of item `i` for user `u` is `x_u · y_i`.
///
/// Rows are stored contiguously with a stride padded to a multiple of 8 (padding lanes are zero), so
/// scoring all items is one SIMD dot product per item.
public struct ALSModel: RecommendationModel, Equatable {
    /// The training matrix (ids and seen items).
    public let history: InteractionMatrix
    /// The hyperparameters the model was fit with.
    public let configuration: ALSConfiguration
    /// Floats per stored row: `factors` rounded up to a multiple of 8.
    let stride: Int
    /// `users.count × stride`, row-major.
    let userFactors: [Float]
    /// `items.count × stride`, row-major.
    let itemFactors: [Float]

    init(
        history: InteractionMatrix,
        configuration: ALSConfiguration,
        userFactors: [Float],
        itemFactors: [Float]
    ) {
        self.history = history
        self.configuration = configuration
        self.stride = VectorKernels.paddedLength(configuration.factors)
        self.userFactors = userFactors
        self.itemFactors = itemFactors
    }

    public var users: IdIndex { history.users }
    public var items: IdIndex { history.items }

    public func scores(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        guard items.count > 0 else { return }
        userFactors.withUnsafeBufferPointer { userRows in
            itemFactors.withUnsafeBufferPointer { itemRows in
                VectorKernels.matrixVector(
                    itemRows.baseAddress!,
                    rowCount: items.count,
                    stride: stride,
                    vector: userRows.baseAddress! + user * stride,
                    into: scores.baseAddress!
                )
            }
        }
    }

    public func seenItems(ofUser user: Int) -> ArraySlice<Int32> { history.row(user).items }

    /// The `factors` latent values of a user (without padding).
    public func userVector(_ user: Int) -> [Float] {
        Array(userFactors[(user * stride)..<(user * stride + configuration.factors)])
    }

    /// The `factors` latent values of an item (without padding).
    public func itemVector(_ item: Int) -> [Float] {
        Array(itemFactors[(item * stride)..<(item * stride + configuration.factors)])
    }
}
