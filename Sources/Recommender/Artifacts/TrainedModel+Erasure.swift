extension TrainedModel {
    /// The same model without one rider: `nil` when the model never saw `userId`.
    ///
    /// Removed: the rider's id, their history row (both directions of the matrix; the riders after them move down
    /// one index) and, for iALS, their factor row — everything in the artifact that is about that person.
    ///
    /// Kept as they are: item-level aggregates (popularity counts, iALS item factors, EASE item–item weights). They
    /// describe places, not people, and are not personal data; the rider's share in them is diluted over everyone
    /// who rode there and disappears at the next retrain, which no longer sees their events. Keeping them is also
    /// what makes every other rider's recommendations bit-identical before and after: their scores are computed
    /// from exactly the same numbers. The erased rider gets the cold-start fallback.
    public func removingUser(_ userId: String) -> TrainedModel? {
        guard let removed = users.index(of: userId) else { return nil }
        let history = self.history.removingRow(removed)
        let popularity = PopularityModel(history: history, counts: popularity.counts)
        switch fitted {
        case .popularity:
            return TrainedModel(configuration: configuration, fitted: .popularity, popularity: popularity)
        case .ials(let als):
            var userFactors = als.userFactors
            userFactors.removeSubrange((removed * als.stride)..<((removed + 1) * als.stride))
            let model = ALSModel(
                history: history, configuration: als.configuration, userFactors: userFactors,
                itemFactors: als.itemFactors)
            return TrainedModel(configuration: configuration, fitted: .ials(model), popularity: popularity)
        case .ease(let ease):
            let model = EASEModel(history: history, configuration: ease.configuration, weights: ease.weights)
            return TrainedModel(configuration: configuration, fitted: .ease(model), popularity: popularity)
        }
    }
}

extension InteractionMatrix {
    /// The matrix without user row `removed`: its id, its entries, and its entries in the item columns (the
    /// transpose is rebuilt from the remaining rows, so higher user indices shift down by one).
    func removingRow(_ removed: Int) -> InteractionMatrix {
        var ids = users.ids
        ids.remove(at: removed)
        let span = userOffsets[removed]..<userOffsets[removed + 1]
        var columns = userItems
        columns.removeSubrange(span)
        var weights = userWeights
        weights.removeSubrange(span)
        var offsets = userOffsets
        offsets.remove(at: removed + 1)
        for row in (removed + 1)..<offsets.count { offsets[row] -= span.count }
        return InteractionMatrix(
            users: IdIndex(sortedUnique: ids), items: items, rowOffsets: offsets, columns: columns, weights: weights)
    }
}
