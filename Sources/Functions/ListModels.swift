import FunctionRuntime
import Recommender

/// `GET /admin/models`: every registered version, newest first, with lineage and offline metrics.
struct ListModels: FunctionHandler {
    let registry: ModelRegistry

    struct Body: Encodable {
        var models: [ModelMetadata]
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try .json(Body(models: try await registry.list()))
    }
}
