import ArgumentParser
import Emulator
import Foundation
import FunctionRuntime
import Functions
import Recommender

/// `rideease train`: one training run from the command line, with progress per iteration on stderr.
///
/// It invokes the manifest's `train` function through the ``FunctionInvoker``, as `POST /train` and the schedule
/// do (trigger `manual`): the function's `env:` and timeout apply and the run is logged and counted like theirs.
/// What differs is deliberate: the service's event-log bound does not apply (this is what the Cloud Run Job
/// runs), and progress goes to stderr as plain lines (bench/scale.sh times the stages from them).
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Snapshot the events, tune and train a model, evaluate it offline and register the next version.",
        discussion: """
            Runs the manifest's train function (its env: and timeout apply; without ./functions.yaml, the \
            repository's declaration of it). The outcome goes to stdout as JSON; exits 1 unless a model was \
            registered.
            """
    )

    @OptionGroup var bundle: BundleOptions

    @Option(help: "ials, ease or popularity.") var algorithm = "ials"
    @Flag(inversion: .prefixedNo, help: "Choose hyperparameters on a validation split.") var tune = true
    @Option(help: "Retrain on exactly this snapshot (default: $DATA_SNAPSHOT_ID, else freeze the events now).")
    var snapshot: String?

    @Option(name: .customLong("set"), help: "A fixed hyperparameter as NAME=VALUE (repeatable; turns tuning off).")
    var hyperparameters: [String] = []

    @Option(
        help: ArgumentHelp(
            "Stop the run after this long, like 90m or 2h.",
            discussion: "Default: the train function's timeout in the manifest (30m). A tuned run on millions of "
                + "rides can take longer; the Cloud Run Job passes the timeout it was sized with."))
    var timeout: String?

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PIPELINE_GIT_SHA"] = PipelineCommit.sha(environment)
        let body = try requestBody()
        let limit = try timeLimit()
        let logger = Bootstrap.logging(environment, toStandardError: true)
        let manifest = try loadManifest()
        guard var function = manifest.functions.first(where: { $0.handler == "train" }) else {
            throw StartupError("\(bundle.manifest) declares no function with handler \"train\"").exit()
        }
        if let limit { function.timeout = limit }
        let runtime: EmulatorRuntime
        do {
            runtime = try EmulatorRuntime.make(
                manifest: manifest,
                storageLocation: bundle.storageLocation(environment),
                environment: environment,
                logger: logger,
                metricsFactory: PrometheusExporter(descriptions: FunctionCatalog.metricDescriptions),
                runsInService: false
            )
        } catch {
            throw error.exit()
        }
        let request = FunctionRequest(
            path: function.httpTriggers.first.map { "\($0.path)" } ?? "/",
            headers: ["content-type": "application/json"],
            body: body,
            trigger: .manual
        )
        let response = await runtime.invoker.invoke(
            function, request: request, checkAuth: false, progress: Progress.line)
        for task in runtime.bundle.backgroundTasks { await task.shutdown() }
        guard response.status == 200,
            let outcome = try? JSONCoding.decoder.decode(TrainingJob.Outcome.self, from: response.body)
        else {
            throw StartupError(
                "training failed: \(FunctionError(answer: response)?.message ?? "status \(response.status): \(String(decoding: response.body, as: UTF8.self))")"
            ).exit()
        }
        FileHandle.standardOutput.write(try JSONCoding.prettyEncoder.encode(outcome) + Data("\n".utf8))
        if outcome.status != "registered" { throw ExitCode(1) }
    }

    /// The `train` function's request body from the options.
    private func requestBody() throws -> Data {
        var fixed: [String: Double] = [:]
        for item in hyperparameters {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1]) else {
                throw ValidationError("--set \"\(item)\" must look like NAME=NUMBER")
            }
            fixed[String(parts[0])] = value
        }
        struct Body: Encodable {
            var algorithm: String
            var tune: Bool
            var snapshotId: String?
            var hyperparameters: [String: Double]
        }
        return try JSONCoding.encoder.encode(
            Body(algorithm: algorithm, tune: tune, snapshotId: snapshot, hyperparameters: fixed))
    }

    private func timeLimit() throws -> Duration? {
        guard let timeout else { return nil }
        guard let limit = Duration(manifestText: timeout), limit > .zero else {
            throw ValidationError("--timeout \"\(timeout)\" must be a duration like 45m, 2h or 5400s")
        }
        return limit
    }

    /// The manifest, or the standalone declaration when the default manifest file is absent.
    private func loadManifest() throws -> FunctionManifest {
        if bundle.manifest == BundleOptions.defaultManifest, !FileManager.default.fileExists(atPath: bundle.manifest) {
            return FunctionManifest(service: "rideease", functions: [FunctionCatalog.standaloneTrain])
        }
        do {
            return try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames).load(path: bundle.manifest)
        } catch {
            throw StartupError(error.description).exit()
        }
    }
}
