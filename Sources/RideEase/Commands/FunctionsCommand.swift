import ArgumentParser
import Emulator
import Foundation
import FunctionRuntime
import Functions
import Scheduler

/// `rideease functions`: what the manifest declares — routes, schedules and their next fire times.
struct FunctionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions",
        abstract: "List functions with their routes, auth, limits, schedules and next three fire times."
    )

    @Option(name: .long, help: "The function manifest.")
    var manifest = "functions.yaml"

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let loaded: FunctionManifest
        do {
            loaded = try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames).load(path: manifest)
        } catch {
            throw StartupError(error.description).exit()
        }
        let listing = FunctionListing(manifest: loaded, now: Date())
        if json {
            let data = try JSONCoding.encoder.encode(listing)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(listing.table().utf8))
        }
    }
}
