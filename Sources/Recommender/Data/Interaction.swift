/// One implicit-feedback event: a rider (user) took a ride to a destination (item) at a time.
///
/// `weight` lets repeated or stronger signals count more; repeated `(userId, itemId)` pairs are
/// summed when an ``InteractionMatrix`` is built. `city` and `segment` only feed per-subpopulation
/// evaluation; the algorithms ignore them.
public struct Interaction: Codable, Sendable, Hashable {
    /// The user (rider) id.
    public var userId: String
    /// The item (destination place) id.
    public var itemId: String
    /// Unix time in seconds; orders a user's history for the leave-last-out split.
    public var timestamp: Int64
    /// Implicit-feedback strength, `r` in the iALS confidence `c = 1 + alpha * r`.
    public var weight: Float
    /// Optional city, used to group offline metrics.
    public var city: String?
    /// Optional free-form segment (e.g. a rider tier), used to group offline metrics.
    public var segment: String?

    public init(
        userId: String,
        itemId: String,
        timestamp: Int64,
        weight: Float = 1,
        city: String? = nil,
        segment: String? = nil
    ) {
        self.userId = userId
        self.itemId = itemId
        self.timestamp = timestamp
        self.weight = weight
        self.city = city
        self.segment = segment
    }

    /// Checks the fields the algorithms rely on; `index` is echoed in the error.
    public func validate(index: Int) throws(RecommenderError) {
        if userId.isEmpty { throw .invalidInteraction(index: index, reason: "userId is empty") }
        if itemId.isEmpty { throw .invalidInteraction(index: index, reason: "itemId is empty") }
        if !weight.isFinite || weight <= 0 {
            throw .invalidInteraction(index: index, reason: "weight \(weight) must be finite and > 0")
        }
    }
}
