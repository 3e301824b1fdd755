import Experiments
import Testing

/// Replay recovers a target list's true conversion rate from traffic logged under ε-greedy exploration.
@Suite("Replay on simulated exploration traffic")
struct ReplaySimulationTests {
    /// A world where a conversion at a slot depends only on the item and its position (the item-position model
    /// the estimator assumes): P(convert) = attractiveness(item) · examination(position).
    struct World {
        let ranked: [String]
        let attractiveness: [String: Double]
        let examination: [Double]

        /// A sensible ranker: attractiveness 0.6/(1 + 0.3·rank) falls with the rank.
        init(items: Int, positions: Int) {
            ranked = (0..<items).map { "place-\($0)" }
            var attractiveness: [String: Double] = [:]
            for (rank, item) in ranked.enumerated() { attractiveness[item] = 0.6 / (1 + 0.3 * Double(rank)) }
            self.attractiveness = attractiveness
            examination = (0..<positions).map { 1 / Double($0 + 1) }
        }

        func probability(_ item: String, at position: Int) -> Double {
            attractiveness[item]! * examination[position]
        }

        /// The exact expected conversions per request of always showing `list`.
        func value(of list: [String]) -> Double {
            list.enumerated().reduce(0) { $0 + probability($1.element, at: $1.offset) }
        }
    }

    @Test func ipsOfAnotherDeterministicListIsWithinFourStandardErrorsOfItsTrueValue() {
        var random = SplitMix64(seed: 2017)
        let world = World(items: 12, positions: 5)
        let settings = ExplorationSettings(epsilon: 0.3, candidates: 8)
        // A different list from the candidate set, matching the shown list only through exploration: ranks 7, 6 and
        // 5 come from the pool (propensity ε/(k(C−1)) = 0.3/35), ranks 0 and 1 are moved (twice that).
        let target = [7, 0, 6, 1, 5].map { world.ranked[$0] }
        let requests = (0..<200_000).map { index in
            let shown = ExplorationSlot.apply(
                ranked: world.ranked, limit: 5, settings: settings, seed: "replay", requestId: "req-\(index)")
            let slots = zip(shown.items, shown.propensities).enumerated().map { position, pair in
                LoggedSlot(
                    item: pair.0, propensity: pair.1,
                    converted: random.nextUnit() < world.probability(pair.0, at: position))
            }
            return LoggedRequest(slots: slots, target: target)
        }
        let estimate = ReplayEstimator.estimate(requests)
        let truth = world.value(of: target)
        let logged = world.value(of: Array(world.ranked.prefix(5)))
        #expect(
            abs(estimate.ips.value - truth) <= 4 * estimate.ips.standardError,
            "IPS \(estimate.ips.value) ± \(estimate.ips.standardError), true \(truth)")
        #expect(
            abs(estimate.snips.value - truth) <= 4 * estimate.snips.standardError,
            "SNIPS \(estimate.snips.value) ± \(estimate.snips.standardError), true \(truth)")
        // The test can fail: the target is worth measurably less than the ranker's list, and the estimate is precise
        // enough to tell them apart.
        #expect(abs(truth - logged) > 8 * estimate.ips.standardError, "true \(truth), ranker \(logged)")
        // About 200,000 · (3 · 0.3/35 + 2 · 0.6/35) = 12,000 matched slots.
        #expect(estimate.matchedSlots > 10_000 && estimate.matchedSlots < 14_000)
        print(
            "replay simulation: true \(truth), IPS \(estimate.ips.value) ± \(estimate.ips.standardError), SNIPS "
                + "\(estimate.snips.value) ± \(estimate.snips.standardError), logging policy \(estimate.loggedRate)")
    }
}
