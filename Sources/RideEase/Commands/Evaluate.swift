import ArgumentParser
import Emulator
import Foundation
import FunctionRuntime
import Functions
import Recommender

/// `rideease eval`: the offline protocol on the current events, without registering anything.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an algorithm offline (leave-last-out, full ranking), or replay a version's logs.",
        discussion:
            "The export is JSON Lines of {\"userId\",\"heldOut\",\"recommendations\"}, so anyone can recompute the "
            + "metrics. --replay estimates the version's conversion rate by IPS and SNIPS (see ReplayEvaluation).")

    @OptionGroup var bundle: BundleOptions

    @Option(help: "ials, ease or popularity.") var algorithm = "ials"
    @Flag(inversion: .prefixedNo, help: "Choose hyperparameters on a validation split.") var tune = true
    @Option(help: "Evaluate on exactly this snapshot (default: freeze the events now).") var snapshot: String?
    @Option(help: "Write per-user rows here as JSON Lines.") var export: String?
    @Option(
        help: ArgumentHelp(
            "Write the split (train rows and test hold-outs) here as JSON Lines, to train other libraries on it.",
            valueName: "file")) var exportSplit: String?
    @Option(help: "Evaluate at most this many users (a seeded sample, reported as such); 0 evaluates all.")
    var userLimit = TrainingPipeline.defaultEvaluationUserLimit
    @Flag(help: "Replay logged traffic for --version instead of evaluating offline.") var replay = false
    @Option(help: "With --replay: the registered version to evaluate.") var version: String?
    @Option(help: "With --replay: how far back to read traces, like 7d or 36h.") var window = "7d"

    func run() async throws {
        let store = try OperatorStore.open(bundle, ProcessInfo.processInfo.environment)
        if replay {
            do {
                let report = try await ReplayEvaluation(store: store).run(version: version, window: window, now: Date())
                return FileHandle.standardOutput.write(try JSONCoding.prettyEncoder.encode(report) + Data("\n".utf8))
            } catch { throw StartupError("replay: \(error)").exit() }
        }
        do {
            let request = try TrainingJob.Request(
                algorithm: algorithm, tune: tune, snapshotId: snapshot, configuration: [:])
            let snapshots = SnapshotStore(store: store)
            let (taken, events) =
                if let id = request.snapshotId { try await snapshots.load(id) } else {
                    try await snapshots.take(now: Date())
                }
            let candidates =
                request.tune
                ? TrainingPipeline.defaultGrid(for: request.algorithm)
                : [try ModelConfiguration(algorithm: request.algorithm, hyperparameters: [:])]
            guard userLimit >= 0 else { throw StartupError("--user-limit must be 0 (all users) or more") }
            let pipeline = TrainingPipeline(
                candidates: candidates, evaluationUserLimit: userLimit == 0 ? nil : userLimit)
            let result = try pipeline.run(events.compactMap(\.interaction)) { step in
                if step.iteration == nil { Progress.line(step.stage) }
            }
            if let export {
                try EvaluationExport.jsonLines(result.test.rows).write(to: URL(fileURLWithPath: export))
                Progress.line("wrote \(result.test.rows.count) rows to \(export)")
            }
            if let exportSplit {
                guard FileManager.default.createFile(atPath: exportSplit, contents: nil) else {
                    throw StartupError("cannot create \(exportSplit)")
                }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: exportSplit))
                defer { try? handle.close() }
                try EvaluationExport.writeSplit(result.split, to: handle)
                Progress.line("wrote the split (\(result.split.test.count) test users) to \(exportSplit)")
            }
            struct Report: Encodable {
                var dataSnapshotId: String
                var chosen: [String: Double]
                var algorithm: String
                var test: EvaluationReport
            }
            var test = result.test
            test.rows = []
            let report = Report(
                dataSnapshotId: taken.id, chosen: result.chosen.hyperparameters,
                algorithm: result.chosen.algorithm.rawValue, test: test)
            FileHandle.standardOutput.write(try JSONCoding.prettyEncoder.encode(report) + Data("\n".utf8))
        } catch {
            throw StartupError("evaluation failed: \(error)").exit()
        }
    }
}
