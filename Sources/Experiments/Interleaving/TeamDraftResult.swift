/// One slot of an interleaved list: the item and the team that placed it.
public struct DraftedItem<Item: Hashable & Sendable>: Sendable, Hashable {
    /// The recommended item.
    public var item: Item
    /// The ranker credited when a rider converts on it (`both` credits neither).
    public var arm: Arm

    /// Creates a slot.
    public init(item: Item, arm: Arm) {
        self.item = item
        self.arm = arm
    }
}

/// An interleaved list with the coin that decided its first contested round.
public struct TeamDraftResult<Item: Hashable & Sendable>: Sendable, Hashable {
    /// The slots in display order, without duplicates.
    public var items: [DraftedItem<Item>]
    /// The team that picked first in the first contested round (.control or .treatment, never .both); when every
    /// round so far was a competitive pair, the coin of round 0 still decides it. It always equals
    /// `TeamDraft.firstPick(seed:requestId:round: 0)`, which is what the sample-ratio check counts.
    public var firstPick: Arm

    /// Creates a result.
    public init(items: [DraftedItem<Item>], firstPick: Arm) {
        self.items = items
        self.firstPick = firstPick
    }
}
