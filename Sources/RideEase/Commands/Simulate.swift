import ArgumentParser
import Emulator
import Foundation
import Recommender
import Storage

/// `rideease simulate`: a synthetic ride world with a known ground truth, written as ride events.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Generate a realistic ride world (riders, destinations, habits): its rides as events, its place catalog."
    )

    @OptionGroup var bundle: BundleOptions

    @Option(help: "Riders.") var riders = 500
    @Option(help: "Destinations.") var places = 300
    @Option(help: "Days of history.") var days = 28
    @Option(help: "Cities (riders and places are spread round-robin; more cities keep each city's choice small).")
    var cities = 2
    @Option(help: "Random seed: the same seed gives the same world.") var seed: UInt64 = 7

    func validate() throws {
        guard (1...1_000_000).contains(riders) else { throw ValidationError("--riders must be 1-1000000") }
        guard (2...100_000).contains(places) else { throw ValidationError("--places must be 2-100000") }
        guard (1...3650).contains(days) else { throw ValidationError("--days must be 1-3650") }
        guard (1...1000).contains(cities), cities <= places else {
            throw ValidationError("--cities must be 1-1000 and at most --places")
        }
    }

    func run() async throws {
        let store = try OperatorStore.open(bundle, ProcessInfo.processInfo.environment)
        let world: RideWorld
        do {
            world = try RideWorld(configuration: worldConfiguration())
        } catch {
            throw StartupError("\(error)").exit()
        }
        // Rides stream rider by rider into segments: memory stays bounded by one segment however big the city.
        let writer = try SegmentWriter(store: store, configuration: .init(prefix: "events", maxRecords: 50_000))
        var stream = RideStream(world: world)
        var count = 0
        while let batch = stream.next(riders: 2_000) {
            for ride in batch {
                if !(try writer.append(try RideEvent(ride: ride).canonicalLine())) {
                    // The buffer is full: write it out, then the record fits.
                    try await writer.flush()
                    try writer.append(try RideEvent(ride: ride).canonicalLine())
                }
            }
            count += batch.count
            try await writer.flush()
        }
        try await writer.close()
        // The catalog a rider app would show for these places: names, coordinates around the city centres.
        try await PlaceCatalogStore(store: store).publish(world.catalog())
        Progress.line("simulated \(riders) riders, \(places) places, \(days) days: \(count) rides")
        FileHandle.standardOutput.write(Data("{\"rides\":\(count)}\n".utf8))
    }

    private func worldConfiguration() -> RideWorldConfiguration {
        var configuration = RideWorldConfiguration()
        configuration.riders = riders
        configuration.places = places
        configuration.days = days
        if cities != configuration.cities.count {
            configuration.cities = (1...cities).map { "city-" + SegmentWriter.zeroPadded($0, width: 3) }
        }
        configuration.seed = seed
        return configuration
    }
}
