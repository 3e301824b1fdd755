import Testing

@testable import Recommender

@Suite("Synthetic data")
struct SyntheticDataTests {
    @Test("the MovieLens-sized generator has ML-100K's shape and is seeded")
    func movieLensShape() throws {
        let data = SyntheticMovieLens().generate()
        let matrix = try InteractionMatrix(interactions: data)
        #expect(matrix.users.count == 943 && matrix.items.count <= 1_682 && matrix.items.count > 1_500)
        #expect((95_000...105_000).contains(data.count) && matrix.nonZeroCount == data.count)
        #expect((0..<943).allSatisfy { matrix.rowCount($0) >= 20 })
        let counts = (0..<matrix.items.count).map { matrix.column($0).users.count }.sorted(by: >)
        #expect(counts[0] > 10 * counts[counts.count / 2])  // long tail
        var small = SyntheticMovieLens(seed: 1)
        small.users = 40
        small.items = 60
        small.interactions = 1_500
        #expect(small.generate() == small.generate())
        small.seed = 2
        #expect(small.generate() != SyntheticMovieLens(seed: 1).generate().prefix(1_500).map { $0 })
    }

    @Test("the ride world is seeded, well-formed and carries its ground truth")
    func rideWorld() throws {
        var configuration = RideWorldConfiguration()
        configuration.riders = 120
        configuration.places = 80
        configuration.days = 14
        let world = try RideWorld(configuration: configuration)
        let rides = world.rides()
        #expect(rides == (try RideWorld(configuration: configuration)).rides())
        #expect(rides.count > 500)
        #expect(rides.allSatisfy { $0.itemId.hasPrefix("place-") && $0.city != nil && $0.segment != nil })
        #expect(zip(rides, rides.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        let rider = world.riders[0].id
        let ideal = world.idealRecommendations(userId: rider, k: 5)
        let best = world.conversionProbability(userId: rider, itemId: ideal[0])
        let average =
            world.places.map { world.conversionProbability(userId: rider, itemId: $0.id) }
            .reduce(0, +) / Double(world.places.count)
        #expect(best > 0.05 && best > 4 * average && average < 0.05)
        #expect(world.conversionProbability(userId: "nobody", itemId: ideal[0]) == 0)
        var bad = configuration
        bad.riders = 0
        #expect(throws: RecommenderError.self) { try RideWorld(configuration: bad) }
    }

    @Test("closed loop: iALS recommendations convert better than popularity in the simulated world")
    func closedLoop() throws {
        var configuration = RideWorldConfiguration()
        configuration.riders = 300
        configuration.places = 120
        let world = try RideWorld(configuration: configuration)
        let rides = world.rides()
        let als = try TrainedModel.fit(rides, configuration: .ials(ALSConfiguration(factors: 16, iterations: 8)))
        let popularity = try TrainedModel.fit(rides, configuration: .popularity)
        func conversions(_ model: TrainedModel) -> Int {
            var random = SeededGenerator(seed: 99)
            var total = 0
            for _ in 0..<5 {
                for rider in world.riders {
                    let items = model.recommendations(forUser: rider.id, limit: 5).items.map(\.itemId)
                    if world.simulateConversion(userId: rider.id, itemIds: items, using: &random) != nil { total += 1 }
                }
            }
            return total
        }
        let alsConversions = conversions(als), popularityConversions = conversions(popularity)
        #expect(Double(alsConversions) > 1.2 * Double(popularityConversions))
    }
}
