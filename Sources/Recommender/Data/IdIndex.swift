/// A deterministic, sorted mapping between string ids and dense indices `0..<count`.
///
/// Sorting makes the index reproducible from the same set of ids in any order, and makes "ties broken
/// by item id" the same thing as "ties broken by lower index", which the top-k code relies on.
public struct IdIndex: Sendable, Equatable {
    /// The ids in index order (strictly increasing).
    public let ids: [String]
    /// `nil` for an index read from an artifact: lookups then binary-search the sorted ids (a microsecond for a
    /// million riders) instead of hashing into a table whose construction would cost 0.3 s of every cold start.
    private let positions: [String: Int32]?

    /// Builds the index of the distinct ids in `ids`, in sorted order.
    public init(_ ids: some Sequence<String>) {
        self.init(sortedUnique: Array(Set(ids)).sorted())
    }

    init(sortedUnique ids: [String]) {
        self.ids = ids
        var positions: [String: Int32] = [:]
        positions.reserveCapacity(ids.count)
        for (position, id) in ids.enumerated() { positions[id] = Int32(position) }
        self.positions = positions
    }

    private init(sortedWithoutTable ids: [String]) {
        self.ids = ids
        self.positions = nil
    }

    /// Validates an id table read from outside (an artifact): non-empty strings, strictly increasing.
    static func validated(_ ids: [String], kind: String) throws(ArtifactError) -> IdIndex {
        for position in ids.indices {
            if ids[position].isEmpty { throw .malformed("\(kind) id \(position) is empty") }
            if position > 0 && !(ids[position - 1] < ids[position]) {
                throw .malformed("\(kind) ids are not strictly sorted at \(position)")
            }
        }
        return IdIndex(sortedWithoutTable: ids)
    }

    /// Number of ids.
    public var count: Int { ids.count }

    /// The dense index of `id`, or nil when unknown.
    public func index(of id: String) -> Int? {
        if let positions { return positions[id].map(Int.init) }
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// The id at a dense index.
    public subscript(index: Int) -> String { ids[index] }

    public static func == (lhs: IdIndex, rhs: IdIndex) -> Bool { lhs.ids == rhs.ids }
}
