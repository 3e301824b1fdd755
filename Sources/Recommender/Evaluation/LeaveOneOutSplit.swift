/// The standard leave-last-out split: per user, interactions ordered by timestamp; the last is the test item,
/// the second-to-last the validation item when tuning, the rest train.
///
/// Ties: interactions with the same timestamp are ordered by ``StableTieBreak`` — a seeded hash of (user id,
/// item id) — not by the id text. Ordering by text made the held-out item the one whose id sorts last, which
/// moved NDCG by a third on a real log with second-resolution timestamps; the hash is unrelated to spelling, so
/// renaming ids changes which tied item is held out only as a fresh random draw would. Users whose hold-out
/// was chosen among ties are counted (``tiedTestUsers``, ``tiedValidationUsers``) so a report shows how much of
/// the metric rests on this rule.
///
/// Repeat interactions with one item are first collapsed into one (weights summed, latest timestamp):
/// the protocol ranks only items *not* in the user's training data, so a held-out item that also stayed
/// in training could never be hit. Riders repeat destinations a lot; MovieLens has no repeats, so there
/// this changes nothing.
public struct LeaveOneOutSplit: Sendable {
    /// One held-out `(user, item)` pair with the context used to group metrics.
    public struct HeldOut: Sendable, Equatable {
        /// Dense user index in ``LeaveOneOutSplit/users``.
        public var user: Int
        /// Dense item index in ``LeaveOneOutSplit/items``.
        public var item: Int
        /// City of the held-out interaction, if any.
        public var city: String?
        /// Segment of the held-out interaction, if any.
        public var segment: String?
    }

    /// All users of the data set (every split's matrices use this table).
    public let users: IdIndex
    /// The whole catalog: evaluation ranks all of it, including items only seen in held-out data.
    public let items: IdIndex
    /// Training data; with `validation`, it excludes both held-out items of each user.
    public let train: InteractionMatrix
    /// Training + validation: what the test refit trains on (equals `train` when not validating).
    public let trainAndValidation: InteractionMatrix
    /// The second-to-last item per eligible user (empty when not validating).
    public let validation: [HeldOut]
    /// The last item per eligible user.
    public let test: [HeldOut]
    /// Users left out of evaluation for having too few distinct items (their data still trains).
    public let skippedUsers: Int
    /// Evaluated users whose test item shares its timestamp with another of their interactions.
    public let tiedTestUsers: Int
    /// Evaluated users whose validation item shares its timestamp with another of their interactions.
    public let tiedValidationUsers: Int

    /// Splits `interactions`. Users need at least 2 distinct items (3 with `validation`) to be evaluated.
    public init(interactions: [Interaction], validation withValidation: Bool) throws(RecommenderError) {
        for (position, interaction) in interactions.enumerated() { try interaction.validate(index: position) }
        guard !interactions.isEmpty else { throw .insufficientData("no interactions to split") }
        users = IdIndex(interactions.map(\.userId))
        items = IdIndex(interactions.map(\.itemId))
        var collapsed = [[String: Interaction]](repeating: [:], count: users.count)
        for interaction in interactions {
            let user = users.index(of: interaction.userId)!
            if var existing = collapsed[user][interaction.itemId] {
                existing.weight += interaction.weight
                if interaction.timestamp >= existing.timestamp {
                    existing.timestamp = interaction.timestamp
                    existing.city = interaction.city
                    existing.segment = interaction.segment
                }
                collapsed[user][interaction.itemId] = existing
            } else {
                collapsed[user][interaction.itemId] = interaction
            }
        }
        let minimum = withValidation ? 3 : 2
        var trainRows: [Interaction] = []
        var validationRows: [Interaction] = []
        var validationPairs: [HeldOut] = []
        var testPairs: [HeldOut] = []
        var skipped = 0
        var tiedTest = 0
        var tiedValidation = 0
        for user in 0..<users.count {
            let userHash = StableTieBreak.idHash(users[user])
            var history = collapsed[user].values.map {
                (key: StableTieBreak.key(userHash: userHash, itemHash: StableTieBreak.idHash($0.itemId)), row: $0)
            }
            .sorted { ($0.row.timestamp, $0.key, $0.row.itemId) < ($1.row.timestamp, $1.key, $1.row.itemId) }
            .map(\.row)
            guard history.count >= minimum else {
                skipped += 1
                trainRows.append(contentsOf: history)
                continue
            }
            let count = history.count
            if history[count - 1].timestamp == history[count - 2].timestamp { tiedTest += 1 }
            if withValidation
                && (history[count - 2].timestamp == history[count - 1].timestamp
                    || history[count - 2].timestamp == history[count - 3].timestamp)
            {
                tiedValidation += 1
            }
            let last = history.removeLast()
            testPairs.append(
                HeldOut(
                    user: user, item: items.index(of: last.itemId)!, city: last.city,
                    segment: last.segment))
            if withValidation {
                let second = history.removeLast()
                validationRows.append(second)
                validationPairs.append(
                    HeldOut(
                        user: user, item: items.index(of: second.itemId)!,
                        city: second.city, segment: second.segment))
            }
            trainRows.append(contentsOf: history)
        }
        guard !testPairs.isEmpty else {
            throw .insufficientData("no user has at least \(minimum) distinct items to hold out")
        }
        train = try InteractionMatrix(interactions: trainRows, users: users, items: items)
        trainAndValidation =
            withValidation
            ? try InteractionMatrix(interactions: trainRows + validationRows, users: users, items: items)
            : train
        validation = validationPairs
        test = testPairs
        skippedUsers = skipped
        tiedTestUsers = tiedTest
        tiedValidationUsers = tiedValidation
    }
}
