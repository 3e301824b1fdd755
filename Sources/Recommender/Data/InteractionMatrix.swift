/// The user × item matrix of aggregated implicit feedback, stored both by row (CSR, user → items) and by
/// column (CSC, item → users), as the two alternating half-steps of iALS each need one of them.
///
/// Repeated `(user, item)` pairs are summed into one entry. Within a row, item indices ascend (and so
/// do user indices within a column), which lets exclusion lists be merged in one pass.
public struct InteractionMatrix: Sendable, Equatable {
    /// Row ids (users).
    public let users: IdIndex
    /// Column ids (items); this is the catalog the models rank.
    public let items: IdIndex
    /// CSR: row `u` spans `userOffsets[u]..<userOffsets[u + 1]` of `userItems`/`userWeights`.
    public let userOffsets: [Int]
    /// CSR column indices, ascending within each row.
    public let userItems: [Int32]
    /// CSR aggregated weights.
    public let userWeights: [Float]
    /// CSC: column `i` spans `itemOffsets[i]..<itemOffsets[i + 1]` of `itemUsers`/`itemWeights`.
    public let itemOffsets: [Int]
    /// CSC row indices, ascending within each column.
    public let itemUsers: [Int32]
    /// CSC aggregated weights.
    public let itemWeights: [Float]

    /// Builds the matrix from raw interactions.
    ///
    /// - Parameters:
    ///   - users: a fixed user table (e.g. of the full data set while training on a split); nil builds
    ///     one from the interactions.
    ///   - items: a fixed item table (the catalog); evaluation passes the full catalog so that items seen
    ///     only in held-out data are still ranked.
    /// - Throws: ``RecommenderError/invalidInteraction(index:reason:)`` for a bad event,
    ///   ``RecommenderError/unknownId(kind:id:)`` for an id outside a fixed table.
    public init(
        interactions: some Collection<Interaction>,
        users: IdIndex? = nil,
        items: IdIndex? = nil
    ) throws(RecommenderError) {
        for (position, interaction) in interactions.enumerated() { try interaction.validate(index: position) }
        let userIndex = users ?? IdIndex(interactions.lazy.map(\.userId))
        let itemIndex = items ?? IdIndex(interactions.lazy.map(\.itemId))
        var triples: [Entry] = []
        triples.reserveCapacity(interactions.count)
        for interaction in interactions {
            guard let user = userIndex.index(of: interaction.userId) else {
                throw .unknownId(kind: "user", id: interaction.userId)
            }
            guard let item = itemIndex.index(of: interaction.itemId) else {
                throw .unknownId(kind: "item", id: interaction.itemId)
            }
            triples.append(Entry(user: Int32(user), item: Int32(item), weight: interaction.weight))
        }
        self.init(users: userIndex, items: itemIndex, entries: triples)
    }

    /// One coordinate-format entry, before aggregation.
    struct Entry {
        var user: Int32
        var item: Int32
        var weight: Float
    }

    /// Builds from coordinates whose indices are already valid for `users`/`items`.
    init(users: IdIndex, items: IdIndex, entries: [Entry]) {
        let sorted = entries.sorted { ($0.user, $0.item) < ($1.user, $1.item) }
        var rowOffsets = [Int](repeating: 0, count: users.count + 1)
        var columns: [Int32] = []
        var weights: [Float] = []
        columns.reserveCapacity(sorted.count)
        weights.reserveCapacity(sorted.count)
        var previous: (Int32, Int32) = (-1, -1)
        for entry in sorted {
            if (entry.user, entry.item) == previous {
                weights[weights.count - 1] += entry.weight
            } else {
                columns.append(entry.item)
                weights.append(entry.weight)
                rowOffsets[Int(entry.user) + 1] += 1
                previous = (entry.user, entry.item)
            }
        }
        for row in 0..<users.count { rowOffsets[row + 1] += rowOffsets[row] }
        self.init(users: users, items: items, rowOffsets: rowOffsets, columns: columns, weights: weights)
    }

    /// Builds from CSR arrays whose rows are already sorted and free of duplicates (a decoded artifact), so
    /// loading a model never re-sorts its history.
    init(users: IdIndex, items: IdIndex, rowOffsets: [Int], columns: [Int32], weights: [Float]) {
        self.users = users
        self.items = items
        userOffsets = rowOffsets
        userItems = columns
        userWeights = weights

        // Transpose by counting sort; walking rows in order keeps user indices ascending per column.
        var columnOffsets = [Int](repeating: 0, count: items.count + 1)
        for item in columns { columnOffsets[Int(item) + 1] += 1 }
        for column in 0..<items.count { columnOffsets[column + 1] += columnOffsets[column] }
        var cursor = columnOffsets
        var rowsOfColumns = [Int32](repeating: 0, count: columns.count)
        var columnWeights = [Float](repeating: 0, count: columns.count)
        for row in 0..<users.count {
            for position in rowOffsets[row]..<rowOffsets[row + 1] {
                let column = Int(columns[position])
                rowsOfColumns[cursor[column]] = Int32(row)
                columnWeights[cursor[column]] = weights[position]
                cursor[column] += 1
            }
        }
        itemOffsets = columnOffsets
        itemUsers = rowsOfColumns
        itemWeights = columnWeights
    }

    /// Number of distinct `(user, item)` entries.
    public var nonZeroCount: Int { userItems.count }

    /// The items (ascending) and weights of one user.
    public func row(_ user: Int) -> (items: ArraySlice<Int32>, weights: ArraySlice<Float>) {
        let span = userOffsets[user]..<userOffsets[user + 1]
        return (userItems[span], userWeights[span])
    }

    /// The users (ascending) and weights of one item.
    public func column(_ item: Int) -> (users: ArraySlice<Int32>, weights: ArraySlice<Float>) {
        let span = itemOffsets[item]..<itemOffsets[item + 1]
        return (itemUsers[span], itemWeights[span])
    }

    /// How many distinct items a user interacted with.
    public func rowCount(_ user: Int) -> Int { userOffsets[user + 1] - userOffsets[user] }
}
