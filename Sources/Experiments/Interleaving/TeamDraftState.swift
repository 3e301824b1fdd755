/// One team draft in progress: what is placed, where each ranker's list stands, how many coins were drawn.
///
/// Everything the rest of a draft does depends only on the set of placed items (each ranker picks its
/// highest-ranked item not yet placed), which is why `TeamDraft.propensities` can merge drafts that reached the same
/// set by different coins. The round is played here once, for both callers: `interleave` with hash coins and the
/// propensity computation with each coin outcome, so the two cannot drift apart. `@usableFromInline` so the
/// serving path in another module gets a copy specialised for its item type (see `TeamDraft.interleave`).
@usableFromInline
struct TeamDraftState<Item: Hashable> {
    /// The items placed so far; its count is the number of filled positions.
    @usableFromInline var placed: Set<Item> = []
    @usableFromInline var control: TeamDraftCursor<Item>
    @usableFromInline var treatment: TeamDraftCursor<Item>
    /// Contested rounds played so far: the index of the next coin.
    @usableFromInline var round = 0

    @inlinable
    init(control: [Item], treatment: [Item]) {
        self.control = TeamDraftCursor(list: control)
        self.treatment = TeamDraftCursor(list: treatment)
    }

    /// Plays one round (see `TeamDraft.interleave`): a competitive pair placed once with `.both` and no coin, or a
    /// contested round whose coin `coin(round)` (`.control` → control first, else treatment first) orders the
    /// two picks. Each placed item goes to `place` in display order. False, placing nothing, when the list is
    /// full or both lists are exhausted.
    @inlinable
    mutating func playRound(capacity: Int, coin: (Int) -> Arm, place: (Item, Arm) -> Void) -> Bool {
        guard placed.count < capacity else { return false }
        let nextControl = control.next(skipping: placed)
        let nextTreatment = treatment.next(skipping: placed)
        if nextControl == nil, nextTreatment == nil { return false }
        if let nextControl, nextControl == nextTreatment {
            placed.insert(nextControl)
            place(nextControl, .both)
            return true
        }
        let controlFirst = coin(round) == .control
        round += 1
        pick(controlFirst ? .control : .treatment, capacity: capacity, place: place)
        pick(controlFirst ? .treatment : .control, capacity: capacity, place: place)
        return true
    }

    /// `arm` places its highest-ranked item not yet placed, if it has one and there is room. The second team of a
    /// round looks again: the first team's pick may have been its next item too.
    @inlinable
    mutating func pick(_ arm: Arm, capacity: Int, place: (Item, Arm) -> Void) {
        guard placed.count < capacity else { return }
        let next = arm == .control ? control.next(skipping: placed) : treatment.next(skipping: placed)
        guard let next else { return }
        placed.insert(next)
        place(next, arm)
    }
}

/// A ranker's position in its list: advances past items already placed, never moves back.
@usableFromInline
struct TeamDraftCursor<Item: Hashable> {
    @usableFromInline let list: [Item]
    @usableFromInline var index = 0

    @inlinable
    init(list: [Item]) { self.list = list }

    /// The highest-ranked item not yet placed, or `nil` when the list is exhausted.
    @inlinable
    mutating func next(skipping placed: Set<Item>) -> Item? {
        while index < list.count, placed.contains(list[index]) { index += 1 }
        return index < list.count ? list[index] : nil
    }
}
