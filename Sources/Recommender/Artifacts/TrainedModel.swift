/// The model that serves and that `model.bin` holds: one fitted algorithm plus the popularity fallback
/// for users without history, with the configuration it was fit with.
public struct TrainedModel: RecommendationModel, Equatable {
    /// The fitted algorithm.
    public enum Fitted: Sendable, Equatable {
        case popularity
        case ials(ALSModel)
        case ease(EASEModel)
    }

    /// Algorithm and hyperparameters.
    public let configuration: ModelConfiguration
    /// The fitted algorithm.
    public let fitted: Fitted
    /// Cold-start fallback (and the whole model when the algorithm is popularity).
    public let popularity: PopularityModel

    /// The training matrix (ids and histories).
    public var history: InteractionMatrix { popularity.history }
    public var users: IdIndex { history.users }
    public var items: IdIndex { history.items }

    init(configuration: ModelConfiguration, fitted: Fitted, popularity: PopularityModel) {
        self.configuration = configuration
        self.fitted = fitted
        self.popularity = popularity
    }

    /// Fits `configuration` on `matrix` with `threads` (`nil`: every active core); `progress` reports iALS
    /// iterations.
    public static func fit(
        _ matrix: InteractionMatrix,
        configuration: ModelConfiguration,
        threads: Int? = nil,
        progress: ALSTrainer.Progress? = nil
    ) throws(RecommenderError) -> TrainedModel {
        try configuration.validate()
        let popularity = PopularityModel(history: matrix)
        switch configuration {
        case .popularity:
            return TrainedModel(configuration: configuration, fitted: .popularity, popularity: popularity)
        case .ials(let als):
            let model = try ALSTrainer.fit(
                matrix, configuration: als, computeLoss: progress != nil, threads: threads, progress: progress)
            return TrainedModel(configuration: configuration, fitted: .ials(model), popularity: popularity)
        case .ease(let ease):
            let model = try EASEModel.fit(matrix, configuration: ease)
            return TrainedModel(configuration: configuration, fitted: .ease(model), popularity: popularity)
        }
    }

    /// Fits `configuration` on raw interactions (ids are taken from the interactions).
    public static func fit(
        _ interactions: [Interaction],
        configuration: ModelConfiguration,
        progress: ALSTrainer.Progress? = nil
    ) throws(RecommenderError) -> TrainedModel {
        try fit(InteractionMatrix(interactions: interactions), configuration: configuration, progress: progress)
    }

    public func scores(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>) {
        switch fitted {
        case .popularity: popularity.scores(forUser: user, into: scores)
        case .ials(let model): model.scores(forUser: user, into: scores)
        case .ease(let model): model.scores(forUser: user, into: scores)
        }
    }

    public func seenItems(ofUser user: Int) -> ArraySlice<Int32> { history.row(user).items }

    /// The request-time answer: the model's top `limit` for a known user, else the most popular items
    /// with `fallback == true`. Items in `excluding` (unknown ids ignored) are never returned, nor the
    /// user's training items when `excludeSeen` is set (riders often do want their usual places, so the
    /// handler decides).
    public func recommendations(
        forUser userId: String,
        limit: Int,
        excluding excludedIds: [String] = [],
        excludeSeen: Bool = false
    ) -> RecommendationList {
        let excluded = excludedIds.compactMap { items.index(of: $0) }.map(Int32.init).sorted()
        let ranked: [ScoredIndex]
        let fallback: Bool
        if let user = users.index(of: userId), !seenItems(ofUser: user).isEmpty {
            ranked = recommend(user: user, k: limit, excluding: excluded, excludeSeen: excludeSeen)
            fallback = false
        } else {
            ranked = popularity.recommendForUnknownUser(k: limit, excluding: excluded)
            fallback = true
        }
        return RecommendationList(
            items: ranked.map { Recommendation(itemId: items[$0.index], score: $0.score) },
            fallback: fallback
        )
    }
}
