import ArgumentParser
import Emulator
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

    @Option(name: .customLong("set"), help: "A fixed hyperparameter as NAME=VALUE (repeatable; turns tuning off).")
    var hyperparameters: [String] = []

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let store = try OperatorStore.open(bundle, environment)
        if let threads = environment["RIDEEASE_TRAIN_THREADS"], !threads.isEmpty {
            // Benchmarks set it to measure the fit's speed-up over one thread.
            guard let count = Int(threads), (1...1024).contains(count) else {
                throw ValidationError("RIDEEASE_TRAIN_THREADS must be a whole number 1-1024, got \"\(threads)\"")
            }
            ALSTrainer.setDefaultThreadCount(count)
        }
        var configuration = environment
        configuration["PIPELINE_GIT_SHA"] = PipelineCommit.sha(environment)
        let request: TrainingJob.Request
        do {
            var fixed: [String: Double] = [:]
            for item in hyperparameters {
                let parts = item.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let value = Double(parts[1]) else {
                    throw ValidationError("--set \"\(item)\" must look like NAME=NUMBER")
                }
                fixed[String(parts[0])] = value
            }
            request = try TrainingJob.Request(
                algorithm: algorithm,
                tune: tune,
                snapshotId: snapshot,
                hyperparameters: fixed,
                configuration: configuration
            )
        } catch let error as ValidationError {
            throw error
        } catch {
            throw StartupError("\(error)").exit()
        }
        let job = TrainingJob(store: store, owner: "cli-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            let outcome = try await job.run(request, progress: Progress.line)
            FileHandle.standardOutput.write(try JSONCoding.prettyEncoder.encode(outcome) + Data("\n".utf8))
            if outcome.status != "registered" { throw ExitCode(1) }
        } catch let error as ExitCode {
            throw error
        } catch {
            throw StartupError("training failed: \(error)").exit()
        }
    }
}
