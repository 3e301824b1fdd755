/// The list a request shows after exploration, with what replay needs to weigh it: each slot's propensity.
public struct ExploredList: Sendable, Equatable {
    /// The shown list, length min(limit, ranked.count).
    public var items: [String]
    /// Marginal P(this item at this position | ranked, settings), per position.
    public var propensities: [Double]
    /// 0-based position the exploration changed, nil when not explored.
    public var exploredPosition: Int?
    /// min(settings.candidates, ranked.count); the shown count when exploration is off.
    public var candidateCount: Int

    /// Creates a list.
    public init(items: [String], propensities: [Double], exploredPosition: Int?, candidateCount: Int) {
        self.items = items
        self.propensities = propensities
        self.exploredPosition = exploredPosition
        self.candidateCount = candidateCount
    }
}
