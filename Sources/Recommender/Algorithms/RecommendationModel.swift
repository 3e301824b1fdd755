/// A fitted model that scores every catalog item for a user it knows. Popularity, iALS and EASE all
/// conform, and so does ``TrainedModel``, the artifact that serves.
///
/// Conformers are immutable values: one instance is shared by all concurrent requests.
public protocol RecommendationModel: Sendable {
    /// The users seen in training (row ids).
    var users: IdIndex { get }
    /// The catalog (column ids); scores are in this order.
    var items: IdIndex { get }
    /// Writes one score per catalog item (higher is better) for the user at dense index `user`.
    func scores(forUser user: Int, into scores: UnsafeMutableBufferPointer<Float>)
    /// The items the user interacted with in training, ascending.
    func seenItems(ofUser user: Int) -> ArraySlice<Int32>
}

/// One recommended item.
public struct Recommendation: Sendable, Equatable, Codable {
    /// The item (destination place) id.
    public var itemId: String
    /// The model score (comparable only within one model).
    public var score: Float

    public init(itemId: String, score: Float) {
        self.itemId = itemId
        self.score = score
    }
}

/// A ranked list, and whether it came from the popularity fallback because the user is unknown.
public struct RecommendationList: Sendable, Equatable {
    /// Best first; ties broken by item id.
    public var items: [Recommendation]
    /// True when the user had no training history and popularity answered instead.
    public var fallback: Bool

    public init(items: [Recommendation], fallback: Bool) {
        self.items = items
        self.fallback = fallback
    }
}

extension RecommendationModel {
    /// True when the model has training history for this user (otherwise callers fall back).
    public func isKnown(userId: String) -> Bool {
        guard let user = users.index(of: userId) else { return false }
        return !seenItems(ofUser: user).isEmpty
    }

    /// Scores of every item for a user index, as a new array.
    public func scores(forUser user: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: items.count) { buffer, count in
            scores(forUser: user, into: UnsafeMutableBufferPointer(rebasing: buffer[0..<items.count]))
            count = items.count
        }
    }

    /// The top `k` items for a known user index, never returning `excluded` items (ascending indices)
    /// nor, when `excludeSeen` is set, items from the user's training history.
    public func recommend(
        user: Int,
        k: Int,
        excluding excluded: [Int32] = [],
        excludeSeen: Bool = true
    ) -> [ScoredIndex] {
        var scratch = [Float](repeating: 0, count: items.count)
        let skip = excludeSeen ? Self.mergeSorted(Array(seenItems(ofUser: user)), excluded) : excluded
        return scratch.withUnsafeMutableBufferPointer { buffer in
            scores(forUser: user, into: buffer)
            return TopK.select(UnsafeBufferPointer(buffer), k: k, excluding: skip)
        }
    }

    /// Request-time entry point: ids in, ids out. Unknown ids in `excluding` are ignored.
    public func recommend(
        userId: String,
        k: Int,
        excluding excludedIds: [String] = [],
        excludeSeen: Bool = true
    ) -> [Recommendation] {
        guard let user = users.index(of: userId) else { return [] }
        let excluded = excludedIds.compactMap { items.index(of: $0) }.map(Int32.init).sorted()
        return recommend(user: user, k: k, excluding: excluded, excludeSeen: excludeSeen).map {
            Recommendation(itemId: items[$0.index], score: $0.score)
        }
    }

    static func mergeSorted(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        return (a + b).sorted()
    }
}
