import Foundation
import Logging
import Recommender
import Storage

/// Makes a fresh store useful at once: a simulated ride world and a first trained model, only when it has none.
package enum DemoData {
    /// Simulates rides when there are no events and trains when there is no model; leaves existing state alone.
    /// `configuration` is what the manifest's train function declares (lineage, gate, threads).
    package static func ensure(store: any ObjectStore, configuration: [String: String], logger: Logger) async throws {
        guard try await ModelRegistry(store: store).list().isEmpty else { return }
        if try await EventLog(store: store).segments().isEmpty {
            let world = try RideWorld(configuration: RideWorldConfiguration())
            let events = world.rides().map(RideEvent.init(ride:))
            try await EventLog(store: store).append(events)
            try await PlaceCatalogStore(store: store).publish(world.catalog())
            logger.info("demo data simulated", metadata: ["rides": "\(events.count)"])
        }
        var configuration = configuration
        configuration["PIPELINE_GIT_SHA"] = PipelineCommit.sha(configuration)
        let request = try TrainingJob.Request(algorithm: nil, tune: true, snapshotId: nil, configuration: configuration)
        let outcome = try await TrainingJob(store: store, owner: "demo").run(request)
        logger.info(
            "demo model trained",
            metadata: ["version": "\(outcome.model?.version.description ?? "none")", "status": "\(outcome.status)"]
        )
    }
}
