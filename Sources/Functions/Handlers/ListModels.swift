import FunctionRuntime
import Recommender

/// `GET /admin/models`: every registered version, newest first, with lineage, offline metrics, its last replay on
/// logged traffic and the rate it achieved where it served (`replay`, from `rideease eval --replay`) and the
/// variants it serves, whether it was retired (and by what it was superseded), plus the current deployment.
struct ListModels: FunctionHandler {
    let registry: ModelRegistry
    let deployments: DeploymentStore
    let serving: ServingContext

    /// Reads and decodes the metadata of every registered version.
    var isCPUHeavy: Bool { true }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let deployment = try await deployments.current(try await serving.server.activeRecord().id)?.0
        let replays = try await ReplayEvaluation(store: serving.store).reports()
        let retirements = try await registry.retirements()
        let models = try await registry.list().map { metadata in
            ModelListing.Entry(
                metadata: metadata,
                serving: (deployment?.versions ?? [:]).filter { $0.value == metadata.version }.keys.sorted(),
                replay: replays[metadata.version.description],
                retired: retirements[metadata.version].map(ModelListing.Retired.init)
            )
        }
        return try .json(ModelListing(models: models, deployment: deployment))
    }
}
