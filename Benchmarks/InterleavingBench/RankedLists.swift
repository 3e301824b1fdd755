import Recommender

/// One ranker's top-`depth` list for every rider of the world, precomputed once, with the ground-truth conversion
/// probability of every slot, so a simulated session costs a few array reads instead of a model query.
struct RankedLists: Sendable {
    /// `popularity`, `ials-64`, …
    let name: String
    /// Slots per list.
    let depth: Int
    /// `riders × depth` place indices (into `RideWorld.places`), best first.
    let items: [Int]
    /// `riders × depth` ground-truth conversion probabilities of those places for that rider.
    let probabilities: [Double]

    /// Ranks every rider's places with `model` (as served: the top `depth`, seen places allowed).
    init(name: String, model: TrainedModel, world: RideWorld, depth: Int) {
        self.name = name
        self.depth = depth
        var placeIndex: [String: Int] = [:]
        for (index, place) in world.places.enumerated() { placeIndex[place.id] = index }
        var items: [Int] = []
        var probabilities: [Double] = []
        items.reserveCapacity(world.riders.count * depth)
        probabilities.reserveCapacity(world.riders.count * depth)
        for rider in world.riders {
            let list = model.recommendations(forUser: rider.id, limit: depth).items
            precondition(list.count == depth, "the catalog has fewer than \(depth) places")
            for recommendation in list {
                items.append(placeIndex[recommendation.itemId]!)
                probabilities.append(world.conversionProbability(userId: rider.id, itemId: recommendation.itemId))
            }
        }
        self.items = items
        self.probabilities = probabilities
    }

    /// The list of rider `r`.
    func list(_ r: Int) -> ArraySlice<Int> { items[(r * depth)..<((r + 1) * depth)] }

    /// The conversion probability of `place` for rider `r` if this ranker shows it to them, else `nil`.
    func probability(rider r: Int, place: Int) -> Double? {
        for slot in (r * depth)..<((r + 1) * depth) where items[slot] == place { return probabilities[slot] }
        return nil
    }

    /// The probability that one session of rider `r` converts under the cascade model (the ground truth the
    /// experiments try to rank).
    func sessionConversion(rider r: Int, clicks: CascadeClickModel) -> Double {
        clicks.conversionProbability(count: depth) { probabilities[r * depth + $0] }
    }
}

/// How two rankers compare in truth: the mean over riders of the per-session conversion probability and the
/// paired difference with its standard error, so the benchmark states the order it expects the tests to find.
struct GroundTruthGap: Sendable {
    let controlRate: Double
    let treatmentRate: Double
    /// Mean over riders of treatment − control.
    let difference: Double
    /// Its standard error over riders (paired).
    let standardError: Double

    init(control: RankedLists, treatment: RankedLists, riders: Int, clicks: CascadeClickModel) {
        var sumC = 0.0, sumT = 0.0, sumD = 0.0, sumD2 = 0.0
        for r in 0..<riders {
            let c = control.sessionConversion(rider: r, clicks: clicks)
            let t = treatment.sessionConversion(rider: r, clicks: clicks)
            sumC += c
            sumT += t
            sumD += t - c
            sumD2 += (t - c) * (t - c)
        }
        let n = Double(riders)
        controlRate = sumC / n
        treatmentRate = sumT / n
        difference = sumD / n
        let variance = max(0, (sumD2 - n * difference * difference) / (n - 1))
        standardError = (variance / n).squareRoot()
    }

    /// More than four standard errors apart: the order is known, not a fluke of the world's riders.
    var isMeasurable: Bool { abs(difference) > 4 * standardError }
}
