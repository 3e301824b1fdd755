/// The rides of a ``RideWorld`` in batches of riders, for callers that write each batch before generating the
/// next (`rideease simulate` of a city with millions of rides keeps one batch in memory, not the history).
///
/// Riders come in id order with one shared seeded generator, so the concatenated batches are exactly the rides
/// of ``RideWorld/rides()`` before its sort by time.
public struct RideStream: Sendable {
    private let world: RideWorld
    private var random: SeededGenerator
    private var nextRider = 0

    /// Starts at the first rider.
    public init(world: RideWorld) {
        self.world = world
        self.random = SeededGenerator(seed: world.configuration.seed &+ 0x5EED)
    }

    /// The rides of the next `riders` riders (at least one), or nil when every rider has been generated.
    public mutating func next(riders count: Int) -> [Interaction]? {
        guard nextRider < world.riders.count else { return nil }
        let end = min(world.riders.count, nextRider + max(1, count))
        var batch: [Interaction] = []
        for rider in nextRider..<end { batch += world.rides(ofRider: rider, using: &random) }
        nextRider = end
        return batch
    }
}
