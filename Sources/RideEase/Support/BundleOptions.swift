import ArgumentParser
import Foundation

/// Options every command that loads the bundle shares.
struct BundleOptions: ParsableArguments {
    /// The manifest a command reads when `--manifest` is not given.
    static let defaultManifest = "functions.yaml"

    @Option(name: .long, help: "The function manifest.")
    var manifest = defaultManifest

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where state lives: a folder, file:///path, s3://bucket/prefix?endpoint=…&region=…, or gs://bucket/prefix.",
            discussion: "Defaults to $RIDEEASE_STORAGE, then ./.rideease/data."
        )
    )
    var storage: String?

    /// The storage location: the flag, then `RIDEEASE_STORAGE`, then the local default.
    func storageLocation(_ environment: [String: String]) -> String {
        storage ?? environment["RIDEEASE_STORAGE"].flatMap { $0.isEmpty ? nil : $0 } ?? "./.rideease/data"
    }
}
