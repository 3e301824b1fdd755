import Foundation

/// A seeded synthetic ride-sharing world with a known ground truth, for `rideease simulate`, the README's
/// demo and closed-loop A/B tests.
///
/// A rider's utility for a place is `taste · latent + log(popularity) − 0.35 · distance_km`, and at a
/// given hour `log(categoryHourWeight)` is added. Rides are sampled from a softmax over the places of the
/// rider's city. The same utility defines ``conversionProbability(userId:itemId:)``, so a model that
/// learns tastes (iALS) converts measurably better than one that only knows popularity.
public struct RideWorld: Sendable {
    /// The settings the world was generated from.
    public let configuration: RideWorldConfiguration
    /// All riders, in id order.
    public let riders: [Rider]
    /// All places, in id order.
    public let places: [Place]
    private let placesByCity: [String: [Int]]
    private let riderIndex: [String: Int]
    private let placeIndex: [String: Int]
    /// Per rider: mean and standard deviation of the static utility over their city's places.
    private let utilityMoments: [(mean: Double, deviation: Double)]

    /// Builds riders and places (rides are generated on demand by ``rides()``).
    public init(configuration: RideWorldConfiguration = RideWorldConfiguration()) throws(RecommenderError) {
        try configuration.validate()
        self.configuration = configuration
        var random = SeededGenerator(seed: configuration.seed)
        let dimensions = configuration.tasteDimensions
        let cities = configuration.cities
        let categories = PlaceCategory.allCases
        func zone() -> SIMD2<Int32> {
            SIMD2(Int32(random.nextInt(below: 6)), Int32(random.nextInt(below: 6)))
        }
        var popularityRanks = Array(1...configuration.places)
        popularityRanks.shuffle(using: &random)
        let places = (0..<configuration.places).map { position in
            Place(
                id: "place-" + SyntheticMovieLens.padded(position + 1),
                category: categories[random.nextInt(below: categories.count)],
                city: cities[position % cities.count],
                zone: zone(),
                popularity: pow(Double(popularityRanks[position]), -0.8),
                latent: (0..<dimensions).map { _ in random.nextGaussian() })
        }
        let segments = ["commuter", "explorer", "night-owl"]
        let tasteScale = 1.6 / Double(dimensions).squareRoot()
        let riders = (0..<configuration.riders).map { position in
            Rider(
                id: "rider-" + SyntheticMovieLens.padded(position + 1),
                city: cities[position % cities.count],
                homeZone: zone(),
                segment: segments[random.nextInt(below: segments.count)],
                activity: exp(0.6 * random.nextGaussian()),
                taste: (0..<dimensions).map { _ in random.nextGaussian() * tasteScale })
        }
        self.places = places
        self.riders = riders
        var byCity: [String: [Int]] = [:]
        for (position, place) in places.enumerated() { byCity[place.city, default: []].append(position) }
        placesByCity = byCity
        riderIndex = Dictionary(uniqueKeysWithValues: riders.enumerated().map { ($1.id, $0) })
        placeIndex = Dictionary(uniqueKeysWithValues: places.enumerated().map { ($1.id, $0) })
        var moments: [(mean: Double, deviation: Double)] = []
        for rider in riders {
            let utilities = (byCity[rider.city] ?? []).map { Self.utility(rider, places[$0]) }
            let mean = utilities.reduce(0, +) / Double(max(utilities.count, 1))
            let variance = utilities.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(utilities.count, 1))
            moments.append((mean, max(variance.squareRoot(), 1e-9)))
        }
        utilityMoments = moments
    }

    /// The hour-independent ground-truth utility of a place for a rider.
    static func utility(_ rider: Rider, _ place: Place) -> Double {
        var taste = 0.0
        for d in rider.taste.indices { taste += rider.taste[d] * place.latent[d] }
        let dx = Double(rider.homeZone.x - place.zone.x), dy = Double(rider.homeZone.y - place.zone.y)
        return taste + log(place.popularity) - 0.35 * 1.5 * (dx * dx + dy * dy).squareRoot()
    }

    /// Ground-truth utility for ids (nil when either id is unknown or the place is in another city).
    public func utility(userId: String, itemId: String) -> Double? {
        guard let r = riderIndex[userId], let p = placeIndex[itemId], riders[r].city == places[p].city else {
            return nil
        }
        return Self.utility(riders[r], places[p])
    }

    /// Probability that the rider books a ride to a recommended place: a logistic function of the
    /// rider-standardised utility `z`, `σ(1.1 z − 4.5)`: a rider's best places (z ≈ 3) convert around
    /// 20–30%, a typical place (z ≈ 0) about 1%. Unknown ids or another city: 0.
    public func conversionProbability(userId: String, itemId: String) -> Double {
        guard let r = riderIndex[userId], let u = utility(userId: userId, itemId: itemId) else { return 0 }
        let z = (u - utilityMoments[r].mean) / utilityMoments[r].deviation
        return 1 / (1 + exp(-(1.1 * z - 4.5)))
    }

    /// The rider's `k` truly best places (highest utility), the oracle a model is judged against.
    public func idealRecommendations(userId: String, k: Int) -> [String] {
        guard let r = riderIndex[userId] else { return [] }
        let candidates = placesByCity[riders[r].city] ?? []
        let scored: [(utility: Double, place: Int)] = candidates.map { (Self.utility(riders[r], places[$0]), $0) }
        let ranked = scored.sorted { lhs, rhs in
            lhs.utility > rhs.utility || (lhs.utility == rhs.utility && lhs.place < rhs.place)
        }
        return ranked.prefix(max(k, 0)).map { places[$0.place].id }
    }

    /// Simulates one impression of `itemIds` (best first): the rider considers each in turn with a
    /// position discount `1/log2(position + 1)` and books at most one. Returns the booked place id.
    public func simulateConversion(
        userId: String, itemIds: [String], using random: inout SeededGenerator
    ) -> String? {
        for (position, itemId) in itemIds.enumerated() {
            let probability = conversionProbability(userId: userId, itemId: itemId) / log2(Double(position + 2))
            if random.nextUnit() < probability { return itemId }
        }
        return nil
    }

    /// The ride history over `configuration.days`, in time order: one ``Interaction`` per ride, with the
    /// rider's city and segment.
    public func rides() -> [Interaction] {
        var result: [Interaction] = []
        forEachRide { result.append($0) }
        return result.sorted { ($0.timestamp, $0.userId, $0.itemId) < ($1.timestamp, $1.userId, $1.itemId) }
    }

    /// The same rides as ``rides()``, one rider at a time (rider order, each rider's rides in time order), so a
    /// city of millions of rides is generated in memory bounded by one rider's history.
    public func forEachRide(_ body: (Interaction) throws -> Void) rethrows {
        var stream = RideStream(world: self)
        while let batch = stream.next(riders: 1_024) {
            for ride in batch { try body(ride) }
        }
    }

    /// The rides of rider `r`, drawing from `random` (the stream's shared generator, so order matters).
    func rides(ofRider r: Int, using random: inout SeededGenerator) -> [Interaction] {
        let rider = riders[r]
        let riderHours = Self.cumulative((0..<24).map(rider.hourWeight))
        let candidates = placesByCity[rider.city] ?? []
        let base = candidates.map { Self.utility(rider, places[$0]) }
        // exp(utility − max) once per rider; each hour's table only multiplies in the hour weights.
        var exponentials: [Double]?
        // Per hour, the softmax over candidates of utility + log(hour weight), as a cumulative table.
        var tables: [[Double]?] = Array(repeating: nil, count: 24)
        let mean = configuration.ridesPerRiderPerDay * rider.activity
        var result: [Interaction] = []
        for day in 0..<configuration.days {
            for _ in 0..<Self.poisson(mean, &random) {
                let hour = Self.sample(riderHours, &random)
                if tables[hour] == nil {
                    if exponentials == nil {
                        let top = base.max() ?? 0
                        exponentials = base.map { exp($0 - top) }
                    }
                    tables[hour] = Self.cumulative(
                        candidates.indices.map { c in
                            exponentials![c] * places[candidates[c]].category.hourWeight(hour)
                        })
                }
                let place = places[candidates[Self.sample(tables[hour]!, &random)]]
                let offset = day * 86_400 + hour * 3_600 + random.nextInt(below: 3_600)
                let time = configuration.startTime + Int64(offset)
                result.append(
                    Interaction(
                        userId: rider.id, itemId: place.id, timestamp: time,
                        city: rider.city, segment: rider.segment))
            }
        }
        return result
    }

    static func cumulative(_ weights: [Double]) -> [Double] {
        var running = 0.0
        return weights.map {
            running += $0; return running
        }
    }

    static func sample(_ cumulative: [Double], _ random: inout SeededGenerator) -> Int {
        let target = random.nextUnit() * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Knuth's Poisson sampler (means here are small).
    static func poisson(_ mean: Double, _ random: inout SeededGenerator) -> Int {
        let limit = exp(-mean)
        var product = random.nextUnit(), count = 0
        while product > limit && count < 1_000 {
            product *= random.nextUnit()
            count += 1
        }
        return count
    }
}
