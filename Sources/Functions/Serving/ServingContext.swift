import Experiments
import Foundation
import FunctionRuntime
import Logging
import Recommender
import Scheduler
import Storage

/// What the serving handlers share: the model server (which follows the active experiment), the experiment
/// records, the trace log and the metrics.
struct ServingContext: Sendable {
    let server: ModelServer
    let records: ExperimentRecordStore
    let store: any ObjectStore
    /// The place catalog answers are decorated with.
    let places: PlaceDirectory
    let traces: TraceLog
    /// This instance's experiment tallies, written to the store by ``TallyWriter``.
    let tallies: TallyAccumulator
    /// Scores sampled requests with the shadow model, off the response path.
    let shadow: ShadowScorer
    let metrics: ServingMetrics
    let training: TrainingMetrics
    let registry: ModelRegistry
    let clock: any WallClock
    /// How often every instance re-reads the deployment (`RIDEEASE_DEPLOYMENT_POLL_SECONDS`, default 2).
    let pollInterval: Duration

    /// The variables the serving context is built from; every function sharing it declares them alike.
    static let variables = ["RIDEEASE_EXPERIMENT", "RIDEEASE_DEPLOYMENT_POLL_SECONDS"]

    /// The seed experiment from `RIDEEASE_EXPERIMENT` (JSON: `{"id","seed","variants":[{"name","weight"}],
    /// "coverage"}`), or `rec-engine` split 50/50 between control and treatment: recorded and started when the store
    /// has no active experiment yet, so a fresh deployment serves an experiment without any admin call.
    static func experiment(from environment: [String: String]) throws -> ExperimentDefinition {
        guard let json = environment["RIDEEASE_EXPERIMENT"], !json.isEmpty else {
            return try ExperimentDefinition(id: "rec-engine")
        }
        let definition: ExperimentDefinition
        do {
            definition = try JSONDecoder().decode(ExperimentDefinition.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw ServingConfigurationError("RIDEEASE_EXPERIMENT: \(FunctionRequest.describe(error))")
        } catch {
            throw ServingConfigurationError("RIDEEASE_EXPERIMENT: \(error)")
        }
        if let problem = ExperimentRecordStore.problem(withId: definition.id) {
            throw ServingConfigurationError("RIDEEASE_EXPERIMENT: \(problem)")
        }
        return definition
    }

    static func pollInterval(from environment: [String: String]) throws -> Duration {
        guard let text = environment["RIDEEASE_DEPLOYMENT_POLL_SECONDS"], !text.isEmpty else { return .seconds(2) }
        guard let seconds = Double(text), seconds >= 0.05, seconds <= 300 else {
            throw ServingConfigurationError("RIDEEASE_DEPLOYMENT_POLL_SECONDS must be 0.05-300, not \"\(text)\"")
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}

/// A serving setting that is wrong; the process refuses to start with this message.
struct ServingConfigurationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// Keeps the instance's models and place catalog current and the trace metrics fresh.
struct DeploymentWatcher: BackgroundTask {
    let serving: ServingContext

    var name: String { "deployment-watcher" }

    /// Only the serving models before traffic: listing every registered version (one read per version, and a
    /// folder store hashes each artifact to list it) waits until the first poll interval has passed, so it never
    /// competes with the first answers of a cold start.
    func prepare() async {
        await serving.server.refresh()
        await serving.places.refresh()
    }

    func run() async throws {
        var lastDropped = 0
        var newestRecorded = false
        while !Task.isCancelled {
            await serving.server.refresh()
            await serving.places.refresh()
            let (depth, dropped) = await (serving.traces.writer.depth, serving.traces.writer.dropped)
            serving.metrics.traceBuffer(depth: depth, newlyDropped: dropped - lastDropped)
            lastDropped = dropped
            try await serving.clock.sleep(until: serving.clock.now().addingTimeInterval(serving.pollInterval.seconds))
            if !newestRecorded, let newest = try? await serving.registry.list().first {
                serving.training.record(newest)
                newestRecorded = true
            }
        }
    }

    func shutdown() async {}
}

extension Duration {
    /// The duration in seconds, as a `TimeInterval`.
    var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
