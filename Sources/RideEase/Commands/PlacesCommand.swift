import ArgumentParser
import Emulator
import Foundation
import Recommender

/// `rideease places import FILE`: the place catalog recommendations are decorated with.
struct PlacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "places",
        abstract: "Manage the place catalog (names, coordinates, categories shown with recommendations).",
        subcommands: [Import.self]
    )

    /// `rideease places import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a place catalog from CSV or TSV (header: id,name,lat,lon[,category,…]).",
            discussion: """
                Every row is checked (lat -90..90, lon -180..180, ids as for events, no duplicate ids); any bad row \
                fails the import with its line number and nothing is stored. Extra columns are kept as attributes. \
                The catalog is stored as a new version (places/<version>.jsonl) and made current \
                (places/current.json); serving instances pick it up within their deployment poll interval.
                """
        )

        @OptionGroup var bundle: BundleOptions

        @Argument(help: "The catalog file (.csv or .tsv; optionally .gz).") var file: String

        func run() async throws {
            let store = try OperatorStore.open(bundle, ProcessInfo.processInfo.environment)
            let places: [CatalogPlace]
            do {
                places = try PlaceFileReader.read(path: file)
            } catch let error as PlaceCatalogError {
                throw StartupError(error.description).exit()
            }
            let pointer = try await PlaceCatalogStore(store: store).publish(places)
            Progress.line("\(file): \(places.count) places stored as version \(pointer.version)")
            FileHandle.standardOutput.write(
                Data("{\"places\":\(places.count),\"version\":\"\(pointer.version)\"}\n".utf8))
        }
    }
}
