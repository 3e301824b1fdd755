import ArgumentParser
import Emulator
import Foundation
import FunctionRuntime
import Functions
import Scheduler

/// `rideease riders forget ID`: a rider's erasure, run here to completion with its progress on stderr.
struct RidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "riders",
        abstract: "Riders' data.",
        subcommands: [Forget.self]
    )

    /// `rideease riders forget`.
    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase one rider from events, traces, owned places, models and experiment tallies.",
            discussion: """
                Runs the same sweep as DELETE /riders/{userId}, here, holding the store's maintenance lease: the \
                rider's event and trace lines are removed (other lines stay byte for byte), models that knew the \
                rider get a patched version, tallies lose the rider's hash; after $RIDEEASE_ERASURE_SETTLE_SECONDS \
                (default 30) events and traces are swept once more. Rerun it to finish an interrupted erasure. \
                Prints the erasure's record (keyed hash, counts) as JSON on stdout.
                """
        )

        @OptionGroup var bundle: BundleOptions

        @Flag(help: "Stop before the settle wait; the scheduled resume-erasures function does the final pass.")
        var noWait = false

        @Argument(help: "The rider's id, as in events.") var userId: String

        func run() async throws {
            if let problem = RiderId.problem(with: userId) { throw StartupError("rider id: \(problem)").exit() }
            let environment = ProcessInfo.processInfo.environment
            let logger = Bootstrap.logging(environment, toStandardError: true)
            let store = try OperatorStore.open(bundle, environment)
            let settings: ErasureSettings
            let secret: String?
            do {
                settings = try ErasureSettings(environment: environment)
                secret = try Secrets.value(RiderHash.secretName, in: environment)
            } catch {
                throw StartupError("\(error)").exit()
            }
            let hash = try await RiderHash.resolve(secret: secret, store: store, logger: logger)
            let riderHash = hash.hash(userId)
            let sweep = ErasureSweep(
                store: store, clock: SystemWallClock(), settings: settings, hash: hash, logger: logger,
                progress: { Progress.line("erasure \(riderHash): \($0)") })
            _ = try await sweep.request(userId)
            let record = try await sweep.run(userId, waitForSettle: !noWait)
            let json = try JSONCoding.encoder.encode(record.progress)
            FileHandle.standardOutput.write(json + Data("\n".utf8))
        }
    }
}
