/// ε-greedy exploration with one slot: most requests see the ranker's list, a share ε see one position changed.
///
/// Why one slot and a swap: replay (`ReplayEstimator`) can only value a list at the (item, position) pairs the
/// logging policy could show, so every candidate must reach every explored position with a known, not too small
/// probability; changing one slot keeps the cost to riders at one worse slot, and swapping (rather than showing an
/// item twice) keeps the list free of duplicates. Item-position IPS (Li, Abbasi-Yadkori, Kveton et al., "Offline
/// Evaluation of Ranking Policies with Click Models", KDD 2018) weighs a logged slot by the marginal probability of
/// its (item, position) pair, which this procedure has in closed form.
///
/// **Procedure.** k = the shown count min(limit, ranked.count), C = the candidate count min(candidates,
/// ranked.count), m = min(k, C) the shown positions that hold candidates (all k unless the limit exceeds the
/// candidate count; positions from m on are never explored). With probability ε (coin:
/// `GrowthBookHash.bucket(seed:, value: requestId + ":explore") < epsilon`) one position s, uniform over the m,
/// gets an item x drawn uniformly from the C − 1 candidates other than ranked[s]; if x is shown (at t < m) the two
/// swap, else x replaces ranked[s]. The slot and the item come from their own hashes (`":explore-slot"`,
/// `":explore-item"`), full 32-bit and independent of the coin, so everything is reproducible from
/// (seed, requestId).
///
/// **Marginals** (each explored outcome (s, x) has probability ε/(m(C−1))):
/// - ranked[j] stays at j (j < m): not explored, or explored at another slot with another item:
///   (1 − ε) + ε · ((m−1)/m) · ((C−2)/(C−1)).
/// - ranked[t] moves from t to j (t ≠ j, both < m): slot j drew ranked[t], or slot t drew ranked[j]:
///   2ε / (m(C−1)).
/// - a candidate ranked[u] from the pool (m ≤ u < C) placed at j: slot j drew it: ε / (m(C−1)).
/// - anything else (a position from m on, a rank from C on at an explored position): 1 if unchanged, else 0.
///
/// With the usual limit ≤ candidates, m = k and these are the formulas in k.
///
/// Per position they sum to 1: (1−ε) + ε/(m(C−1)) · [(m−1)(C−2) + 2(m−1) + (C−m)] = (1−ε) + ε/(m(C−1)) ·
/// m(C−1). Edge cases: m = 1 (one shown) never swaps, ranked[0] stays with 1 − ε; C = m (no pool) only swaps;
/// C < 2 cannot explore (deterministic, propensities 1). ε in the formulas is the coin's exact probability, the
/// share of the 10,000 buckets below ε (equal to ε for an ε with at most 4 decimals). `ranked` must not repeat
/// an item (a ranker's list never does).
public enum ExplorationSlot {
    /// `ranked` = the ranker's list (at least min(candidates, catalog) long; only its first `candidates` count).
    /// With probability epsilon (coin: GrowthBookHash.bucket(seed:, value: requestId + ":explore") < epsilon) one
    /// position s (uniform over the shown positions that hold candidates, from another hash) gets an item x drawn uniformly from the candidate
    /// set minus the item already at s; if x is shown elsewhere (position t) the two swap, else x replaces it.
    /// Propensities are the exact marginals of that procedure given `ranked` (closed form, see the type's doc).
    /// Settings nil -> deterministic, all 1.
    public static func apply(
        ranked: [String], limit: Int, settings: ExplorationSettings?, seed: String, requestId: String
    ) -> ExploredList {
        let shown = Array(ranked.prefix(max(limit, 0)))
        let unchanged = Array(repeating: 1.0, count: shown.count)
        guard let settings else {
            return ExploredList(
                items: shown, propensities: unchanged, exploredPosition: nil, candidateCount: shown.count)
        }
        let candidateCount = min(max(settings.candidates, 0), ranked.count)
        let marginals = Marginals(
            epsilon: coinProbability(settings.epsilon), positions: min(shown.count, candidateCount),
            candidates: candidateCount)
        guard marginals.canExplore else {
            return ExploredList(
                items: shown, propensities: unchanged, exploredPosition: nil, candidateCount: candidateCount)
        }
        let explores = GrowthBookHash.bucket(seed: seed, value: requestId + ":explore") < settings.epsilon
        guard explores else {
            return ExploredList(
                items: shown, propensities: marginals.propensities(of: shown.indices),
                exploredPosition: nil, candidateCount: candidateCount)
        }
        let slot = uniformIndex(seed: seed, value: requestId + ":explore-slot", count: marginals.positions)
        let draw = uniformIndex(seed: seed, value: requestId + ":explore-item", count: candidateCount - 1)
        let ranks = exploredRanks(shown: shown.count, slot: slot, pick: draw < slot ? draw : draw + 1)
        return ExploredList(
            items: ranks.map { ranked[$0] }, propensities: marginals.propensities(of: ranks),
            exploredPosition: slot, candidateCount: candidateCount)
    }

    /// The ranks (indices into `ranked`) shown at each position when slot `slot` draws candidate rank `pick`
    /// (`pick != slot`): a swap when `pick` is shown, a replacement otherwise.
    static func exploredRanks(shown: Int, slot: Int, pick: Int) -> [Int] {
        var ranks = Array(0..<shown)
        if pick < shown { ranks.swapAt(slot, pick) } else { ranks[slot] = pick }
        return ranks
    }

    /// The exact probability of the coin `bucket < epsilon`: the share of the 10,000 equally likely buckets
    /// (`n / 10_000`, n = 0..<10_000) below `epsilon`.
    static func coinProbability(_ epsilon: Double) -> Double {
        guard epsilon > 0 else { return 0 }  // NaN too
        var below = min(max(Int((epsilon * 10_000).rounded(.up)), 0), 10_000)
        while below > 0, Double(below - 1) / 10_000 >= epsilon { below -= 1 }
        while below < 10_000, Double(below) / 10_000 < epsilon { below += 1 }
        return Double(below) / 10_000
    }

    /// A uniform index in `0..<count` from the GrowthBook hash's full 32 bits (multiply-shift: off uniform by at
    /// most one part in 2³²/count, where the 4-decimal bucket would be off by one part in 10,000/count).
    static func uniformIndex(seed: String, value: String, count: Int) -> Int {
        let hash = GrowthBookHash.fnv1a32(String(GrowthBookHash.fnv1a32(seed + value)))
        return Int((UInt64(hash) * UInt64(count)) >> 32)
    }

    /// The closed-form marginals of the procedure (see the type's doc comment).
    struct Marginals {
        /// The coin's probability.
        let epsilon: Double
        /// m: the shown positions that hold candidates and may be explored.
        let positions: Int
        /// C: the candidate count.
        let candidates: Int

        /// Whether a request can be explored at all: a position to change and another candidate to put there.
        var canExplore: Bool { positions >= 1 && candidates >= 2 && epsilon > 0 }

        /// ε/(m(C−1)): the probability of one explored outcome (slot, item).
        var outcome: Double { epsilon / (Double(positions) * Double(candidates - 1)) }

        /// P(ranked[t] at position j) for j among the shown positions.
        func propensity(rank t: Int, position j: Int) -> Double {
            guard canExplore, j < positions else { return t == j ? 1 : 0 }
            if t == j {
                let m = Double(positions)
                let c = Double(candidates)
                return (1 - epsilon) + epsilon * ((m - 1) / m) * ((c - 2) / (c - 1))
            }
            if t < positions { return 2 * outcome }
            return t < candidates ? outcome : 0
        }

        /// The propensity of each position of a shown list given as ranks.
        func propensities<Ranks: Collection<Int>>(of ranks: Ranks) -> [Double] {
            ranks.enumerated().map { propensity(rank: $0.element, position: $0.offset) }
        }
    }
}
