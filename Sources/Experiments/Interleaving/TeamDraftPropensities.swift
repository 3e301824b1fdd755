/// The exact probability of each slot of an interleaved list, so interleaved traffic can be replayed.
///
/// An interleaved list is random through its fair coins, one per contested round. Replay weighs a logged slot by
/// the marginal probability that the draft puts that item at that position (item-position IPS, see
/// `ReplayEstimator`). Enumerating coin sequences costs 2^rounds (2^50 at limit 100); but a draft's future depends
/// only on the set of items already placed (each team picks its highest-ranked unplaced item), so drafts that reach
/// the same set by different coins can be merged. The dynamic programme walks the states level by level (a level is
/// the number of items placed), carries each state's probability, and adds the probability of every transition that
/// places `drafted[j]` at position j to that position's propensity. Exact up to the rounding of sums of powers of
/// ½; the tests compare it with all 2^limit coin sequences for limits up to 12.
///
/// What the programme finds for this draft: the set merges at every round. In a contested round where both teams
/// pick, control's next unplaced item x and treatment's y differ, and whichever picks first, the other's next item
/// is still its own, so the round places {x, y} in either order; a competitive pair or a one-sided round has no
/// choice. Hence one state per level (at most `limit` states, a few microseconds), and every drafted slot has
/// propensity ½ (a contested round, or the last slot when the limit cuts a round) or 1. `maximumStates` still
/// bounds the work on the serving path, should the draft rule ever change so that sets branch.
extension TeamDraft {
    /// The marginal probability, over the draft's fair coins, that each position holds the item `drafted` has
    /// there (drafted = the items of the draft actually made for these lists and limit). Exact (dynamic programme
    /// over placed-item sets, which is all the future of a draft depends on); nil when more than `maximumStates`
    /// distinct states arise (the caller logs "unknown" and replay skips that request).
    ///
    /// One value per element of `drafted`; a position `drafted` could not hold gets 0. The limit is clamped as in
    /// `interleave`. Positions of competitive pairs on the only path are 1, so identical lists give all 1.
    public static func propensities<Item: Hashable & Sendable>(
        control: [Item], treatment: [Item], limit: Int, drafted: [Item], maximumStates: Int = 4096
    ) -> [Double]? {
        let capacity = min(max(limit, 1), maximumLimit)
        var propensities = Array(repeating: 0.0, count: drafted.count)
        // levels[n]: the distinct states with n items placed, in the order first reached (so sums are reproducible).
        var levels = Array(repeating: DraftLevel<Item>(), count: capacity + 1)
        _ = levels[0].add(TeamDraftState(control: control, treatment: treatment), probability: 1)
        var stateCount = 1
        for level in 0..<capacity {
            for (state, probability) in levels[level].states {
                for outcome in transitions(from: state, capacity: capacity) {
                    let weight = probability * outcome.share
                    for (offset, item) in outcome.placedItems.enumerated() {
                        let position = level + offset
                        if position < drafted.count, drafted[position] == item { propensities[position] += weight }
                    }
                    let next = outcome.state.placed.count
                    if next < capacity, levels[next].add(outcome.state, probability: weight) {
                        stateCount += 1
                        if stateCount > maximumStates { return nil }
                    }
                }
            }
            levels[level] = DraftLevel()  // done: free its sets
        }
        return propensities.map { min($0, 1) }
    }

    /// The rounds that can follow `state`, each with its share of the state's probability: none when the draft is
    /// over, one (share 1) for a competitive pair, two (share ½ each) for a contested round.
    static func transitions<Item>(from state: TeamDraftState<Item>, capacity: Int) -> [DraftTransition<Item>] {
        var outcomes: [DraftTransition<Item>] = []
        for coin in [Arm.control, .treatment] {
            var next = state
            var placedItems: [Item] = []
            var drewCoin = false
            let played = next.playRound(capacity: capacity) { _ in
                drewCoin = true
                return coin
            } place: { item, _ in
                placedItems.append(item)
            }
            guard played else { return [] }
            outcomes.append(DraftTransition(state: next, placedItems: placedItems, share: drewCoin ? 0.5 : 1))
            if !drewCoin { break }
        }
        return outcomes
    }
}

/// One round of a draft: the state after it, the items it placed in display order, its probability given the state
/// before.
struct DraftTransition<Item: Hashable> {
    var state: TeamDraftState<Item>
    var placedItems: [Item]
    var share: Double
}

/// The distinct draft states with the same number of items placed, merged by placed set, with their probabilities.
struct DraftLevel<Item: Hashable> {
    private var index: [Set<Item>: Int] = [:]
    private(set) var states: [(state: TeamDraftState<Item>, probability: Double)] = []

    /// Adds `probability` to the state with `state`'s placed set; true when that set is new.
    mutating func add(_ state: TeamDraftState<Item>, probability: Double) -> Bool {
        if let existing = index[state.placed] {
            states[existing].probability += probability
            return false
        }
        index[state.placed] = states.count
        states.append((state, probability))
        return true
    }
}
