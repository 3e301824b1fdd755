/// The popularity baseline: every user gets the items with the most distinct users, ties by item id.
///
/// It is also the cold-start fallback of every other model, so ``TrainedModel`` always carries one.
public struct PopularityModel: RecommendationModel, Equatable {
    /// The training matrix (needed for the ids and to exclude seen items).
    public let history: InteractionMatrix
    /// Per item: number of distinct users who interacted with it.
    public let counts: [Float]

    /// Counts distinct users per item; repeat rides of one rider do not inflate a place.
    public init(history: InteractionMatrix) {
        self.history = history
        self.counts = (0..<history.items.count).map {
            Float(history.itemOffsets[$0 + 1] - history.itemOffsets[$0])
        }
    }

    init(history: InteractionMatrix, counts: [Float]) {
        self.history = history
        self.counts = counts
    }

    public var users: IdIndex { history.users }
    public var items: IdIndex { history.items }

    public func scores(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        for index in counts.indices { scores[index] = counts[index] }
    }

    public func seenItems(ofUser user: Int) -> ArraySlice<Int32> { history.row(user).items }

    /// The most popular items overall, for users the model has never seen.
    public func recommendForUnknownUser(k: Int, excluding excluded: [Int32] = []) -> [ScoredIndex] {
        counts.withUnsafeBufferPointer { TopK.select($0, k: k, excluding: excluded) }
    }
}
