import ArgumentParser
import Foundation
import Recommender

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
    @Option(help: "Random seed: the same seed gives the same world.") var seed: UInt64 = 7

    func validate() throws {
        guard (1...1_000_000).contains(riders) else { throw ValidationError("--riders must be 1-1000000") }
        guard (2...100_000).contains(places) else { throw ValidationError("--places must be 2-100000") }
        guard (1...3650).contains(days) else { throw ValidationError("--days must be 1-3650") }
    }

    func run() async throws {
        let store = try OperatorSupport.store(bundle, ProcessInfo.processInfo.environment)
        let world: RideWorld
        do {
            world = try RideWorld(configuration: worldConfiguration())
        } catch {
            throw StartupError("\(error)").exit()
        }
        let events = world.rides().map(RideEvent.init(ride:))
        try await OperatorSupport.append(events, to: store)
        // The catalog a rider app would show for these places: names, coordinates around the city centres.
        try await PlaceCatalogStore(store: store).publish(world.catalog())
        OperatorSupport.progress("simulated \(riders) riders, \(places) places, \(days) days: \(events.count) rides")
        FileHandle.standardOutput.write(Data("{\"rides\":\(events.count)}\n".utf8))
    }

    private func worldConfiguration() -> RideWorldConfiguration {
        var configuration = RideWorldConfiguration()
        configuration.riders = riders
        configuration.places = places
        configuration.days = days
        configuration.seed = seed
        return configuration
    }
}
