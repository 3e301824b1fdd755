/// One logged request as replay reads it: what was shown with its propensities and outcomes, and what the model
/// under evaluation (the target) would have shown instead.
public struct LoggedRequest: Sendable, Equatable {
    /// The shown list, in display order.
    public var slots: [LoggedSlot]
    /// The target policy's list for the same request, in display order.
    public var target: [String]

    /// Creates a logged request.
    public init(slots: [LoggedSlot], target: [String]) {
        self.slots = slots
        self.target = target
    }
}

/// One shown position of a logged request.
public struct LoggedSlot: Sendable, Equatable {
    /// The item shown there.
    public var item: String
    /// The logging policy's marginal probability of showing `item` at this position, in (0, 1] (1 for a
    /// deterministic list; see `ExplorationSlot` and `TeamDraft.propensities`).
    public var propensity: Double
    /// Whether the rider converted on it (booked it).
    public var converted: Bool

    /// Creates a slot.
    public init(item: String, propensity: Double, converted: Bool) {
        self.item = item
        self.propensity = propensity
        self.converted = converted
    }
}
