/// Team-draft interleaving: one list built from two rankers, each item credited to the ranker that placed it.
///
/// Source: Radlinski, Kurup & Joachims, "How Does Clickthrough Data Reflect Retrieval Quality?" (CIKM 2008),
/// Algorithm 2 (team-draft), as two team captains picking players: every round a coin decides which team picks
/// first, then each team adds its highest-ranked item not already in the list. We add *competitive pairs*: when
/// both rankers' next item is the same, it is placed once, credited to neither (`Arm.both`), and no coin is drawn,
/// so items both rankers agree on carry no credit and cannot dilute the comparison with noise.
///
/// **Coins.** The coin of contested round `r` is `GrowthBookHash.bucket(seed, requestId + ":" + r) < 0.5 →
/// control first`. Rounds are numbered over contested rounds only (competitive pairs draw no coin), so the first
/// contested round always uses coin 0 and `TeamDraftResult.firstPick == firstPick(seed:requestId:)`: a fair coin
/// per request whatever the lists, which makes a 50/50 split of first picks the sample-ratio check of this design.
/// Hashing (not a random generator) makes the list reproducible from `(seed, requestId)` in traces and audits.
public enum TeamDraft {
    /// The largest list `interleave` builds (the serving limit).
    public static let maximumLimit = 100

    /// The coin of round `round` for a request: `GrowthBookHash.bucket(seed: seed, value: requestId + ":" +
    /// String(round)) < 0.5` → control picks first that round. Round 0's coin is the request's "first pick"
    /// (SRM is checked on it).
    public static func firstPick(seed: String, requestId: String, round: Int = 0) -> Arm {
        GrowthBookHash.bucket(seed: seed, value: requestId + ":" + String(round)) < 0.5 ? .control : .treatment
    }

    /// Team-draft interleaving (Radlinski, Kurup & Joachims 2008) with competitive pairs:
    /// rounds; in each round, if both rankers' next not-yet-placed items are the same item it is placed once
    /// with arm .both and the round ends without a coin (it credits neither); otherwise the round's coin
    /// decides which team places its next not-yet-placed item first, then the other team does (if room).
    /// A ranker whose list is exhausted no longer picks; the other keeps filling. Stops at `limit` (1...100)
    /// or when both lists are exhausted. Deterministic for (seed, requestId).
    ///
    /// A `limit` outside `1...100` is clamped into it (handlers reject such limits with a 400 first). Items
    /// repeated within one ranker's list are placed once.
    ///
    /// `@inlinable` (with the draft it runs) so the serving path, in another module, gets a copy specialised for its
    /// item type instead of calling the generic one through witness tables.
    @inlinable
    public static func interleave<Item>(
        control: [Item], treatment: [Item], limit: Int, seed: String, requestId: String
    ) -> TeamDraftResult<Item> {
        let items = draft(control: control, treatment: treatment, limit: limit) { round in
            firstPick(seed: seed, requestId: requestId, round: round)
        }
        return TeamDraftResult(items: items, firstPick: firstPick(seed: seed, requestId: requestId, round: 0))
    }

    /// The team draft of `interleave` with the coin of contested round `r` given by `coin(r)` (`.control` → control
    /// picks first): `interleave` passes the hash coins, tests pass coin sequences.
    @inlinable
    static func draft<Item>(
        control: [Item], treatment: [Item], limit: Int, coin: (Int) -> Arm
    ) -> [DraftedItem<Item>] {
        let capacity = min(max(limit, 1), maximumLimit)
        var state = TeamDraftState(control: control, treatment: treatment)
        var items: [DraftedItem<Item>] = []
        items.reserveCapacity(min(capacity, control.count + treatment.count))
        var playing = true
        while playing {
            playing = state.playRound(capacity: capacity, coin: coin) { items.append(DraftedItem(item: $0, arm: $1)) }
        }
        return items
    }
}
