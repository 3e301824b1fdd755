import ArgumentParser
import Foundation
import FunctionRuntime
import Recommender

/// `rideease train`: one training run from the command line, with progress per iteration on stderr.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Snapshot the events, tune and train a model, evaluate it offline and register the next version."
    )

    @OptionGroup var bundle: BundleOptions

    @Option(help: "ials, ease or popularity.") var algorithm = "ials"
    @Flag(inversion: .prefixedNo, help: "Choose hyperparameters on a validation split.") var tune = true
    @Option(help: "Retrain on exactly this snapshot (default: $DATA_SNAPSHOT_ID, else freeze the events now).")
    var snapshot: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let store = try OperatorSupport.store(bundle, environment)
        var configuration = environment
        configuration["PIPELINE_GIT_SHA"] = OperatorSupport.gitSHA(environment)
        let request: TrainingJob.Request
        do {
            request = try TrainingJob.Request(
                algorithm: algorithm,
                tune: tune,
                snapshotId: snapshot,
                configuration: configuration
            )
        } catch {
            throw StartupError(error.description).exit()
        }
        let job = TrainingJob(store: store, owner: "cli-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            let outcome = try await job.run(request, progress: OperatorSupport.progress)
            FileHandle.standardOutput.write(try JSONCoding.prettyEncoder.encode(outcome) + Data("\n".utf8))
            if outcome.status != "registered" { throw ExitCode(1) }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw StartupError("training failed: \(error)").exit()
        }
    }
}
