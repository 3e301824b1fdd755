import Foundation
import FunctionRuntime
import Functions
import Testing

@testable import RideEase

/// `rideease train` invokes the `train` function through the invoker, like `POST /train` and the schedule.
@Suite("rideease train goes through the function invoker")
struct TrainCommandTests {
    let directory: URL

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml"))
        let simulated = try await RideEaseProcess.run(
            ["simulate", "--riders", "60", "--places", "30", "--days", "7"], directory: directory)
        try #require(simulated.status == 0, "\(simulated.stderr)")
    }

    @Test func aRunIsLoggedAndCountedAsAManualInvocationOfTrain() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let trained = try await RideEaseProcess.run(["train", "--no-tune"], directory: directory)
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains(#""status" : "registered""#), "\(trained.stdout)")
        let lines = trained.stderr.split(separator: "\n")
        let invoked = try #require(
            lines.first { $0.contains(#""message":"function invoked""#) }, "the invoker's line: \(trained.stderr)")
        #expect(invoked.contains(#""function":"train""#))
        #expect(invoked.contains(#""trigger":"manual""#))
        #expect(invoked.contains(#""status":200"#))
        // Progress stays plain lines, as bench/scale.sh reads them.
        #expect(lines.contains { $0.hasPrefix("final fit iteration 1 ") }, "\(trained.stderr)")
        #expect(lines.contains { $0.hasPrefix("registered v") })
    }

    @Test func theServicesEventLogBoundAppliesToInvokeButNotToTheTrainingJob() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let bound = ["RIDEEASE_HTTP_TRAIN_MAX_EVENT_BYTES": "1000"]
        let invoked = try await RideEaseProcess.run(
            ["invoke", "train", "--data", #"{"tune":false}"#], environment: bound, directory: directory)
        #expect(invoked.status == 1)
        #expect(invoked.stdout.contains("Cloud Run Job"), "the declared bound reaches the handler: \(invoked.stdout)")
        let trained = try await RideEaseProcess.run(["train", "--no-tune"], environment: bound, directory: directory)
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    @Test func theFunctionsTimeoutAppliesAndTheCommandCanOverrideIt() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await RideEaseProcess.run(["train", "--timeout", "1ms"], directory: directory)
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"function "train" did not finish within its timeout"#), "\(result.stderr)")
        let bad = try await RideEaseProcess.run(["train", "--timeout", "soon"], directory: directory)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--timeout"), "\(bad.stderr)")
    }

    @Test func theStandaloneDeclarationIsTheRepositoryManifests() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames)
            .load(path: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml").path)
        let train = try #require(manifest.functions.first { $0.handler == "train" })
        #expect(FunctionCatalog.standaloneTrain.name == train.name)
        #expect(FunctionCatalog.standaloneTrain.environment == train.environment)
        #expect(FunctionCatalog.standaloneTrain.timeout == train.timeout)
    }
}
