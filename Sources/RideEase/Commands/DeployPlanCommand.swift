import ArgumentParser
import DeployPlan
import Emulator
import Foundation
import FunctionRuntime
import Functions

extension DeployTarget.TrainingTrigger: ExpressibleByArgument {}

/// `rideease deploy plan`: the Cloud Run service, the training Cloud Run Job and the Cloud Scheduler jobs, as YAML.
struct DeployPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print (or write) the Cloud Run service, training job and Cloud Scheduler jobs for functions.yaml.",
        discussion: """
            Every limit, timeout, schedule, env name and secret name comes from the manifest; the options say where \
            it goes. Secrets appear as Secret Manager references by name, never as values. Problems are reported \
            all at once as file:line:col and the command exits 1.
            """
    )

    @Option(name: .long, help: "The function manifest.")
    var manifest = "functions.yaml"

    @Option(help: "The image, pinned by digest: REGION-docker.pkg.dev/PROJECT/REPO/rideease@sha256:….")
    var image: String

    @Option(help: "The image digest (sha256:…) when --image is a tag; e.g. $(cat artifacts/image-digest).")
    var imageDigest: String?

    @Option(help: "The Google Cloud project id.")
    var project: String

    @Option(help: "The Cloud Run and Cloud Scheduler region, e.g. europe-west1.")
    var region: String

    @Option(help: "RIDEEASE_STORAGE for the service and the job: gs://bucket/prefix.")
    var storage: String

    @Option(help: "The service's https URL, for Cloud Scheduler's HTTP targets and OIDC audience.")
    var serviceURL: String?

    @Option(help: "The service account the service and the training job run as.")
    var serviceAccount: String?

    @Option(help: "The service account Cloud Scheduler signs its OIDC/OAuth tokens as.")
    var schedulerServiceAccount: String?

    @Option(help: "PIPELINE_GIT_SHA recorded in models' lineage (default: none).")
    var gitSHA: String?

    @Option(name: .customLong("env"), help: "A further variable as NAME=VALUE (repeatable; never a secret).")
    var environment: [String] = []

    @Option(help: "How the scheduled training starts: http (POST /train, at most 30m) or job (the Cloud Run Job).")
    var scheduledTraining: DeployTarget.TrainingTrigger = .http

    @Option(
        help:
            "Rides the training job must handle (e.g. the latest snapshot's rideCount): sizes its memory, CPU and timeout."
    )
    var trainingRides: Int?

    @Option(
        help: "The serving model's artifact bytes (the registry's latest artifactBytes): warns when two do not fit.")
    var modelBytes: Int?

    @Flag(help: "Seed an empty store with the demo world and a first model when the service starts.")
    var seedDemo = false

    @Option(help: "Write one file per resource into this folder instead of printing one YAML stream.")
    var output: String?

    func validate() throws {
        if let trainingRides, trainingRides < 1 { throw ValidationError("--training-rides must be at least 1") }
        if let modelBytes, modelBytes < 1 { throw ValidationError("--model-bytes must be at least 1") }
    }

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: manifest, encoding: .utf8)
        } catch {
            throw StartupError("\(manifest): cannot read the manifest").exit()
        }
        let loaded: FunctionManifest
        do {
            loaded = try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames).parse(text, file: manifest)
        } catch {
            throw StartupError(error.description).exit()
        }
        let target = DeployTarget(
            image: image, imageDigest: imageDigest, project: project, region: region, storage: storage,
            serviceURL: serviceURL, serviceAccount: serviceAccount, schedulerServiceAccount: schedulerServiceAccount,
            gitSHA: gitSHA, environment: environment, trainingTrigger: scheduledTraining, trainingRides: trainingRides,
            modelBytes: modelBytes, seedDemo: seedDemo)
        let plan: DeploymentPlan
        do {
            plan = try DeployPlanner(
                manifest: loaded, target: target, locator: ManifestLocator(text: text, file: manifest)
            ).plan()
        } catch {
            throw StartupError(error.description).exit()
        }
        for note in plan.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        guard let output else {
            FileHandle.standardOutput.write(Data(try plan.yamlStream().utf8))
            return
        }
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for document in try plan.documents() {
            try Data(document.yaml.utf8).write(to: folder.appendingPathComponent(document.fileName), options: .atomic)
            FileHandle.standardError.write(Data("wrote \(output)/\(document.fileName)  (\(document.applyHint))\n".utf8))
        }
    }
}
