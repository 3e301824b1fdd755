import Foundation
import FunctionRuntime

/// `GET /admin/shadow`: the active experiment's shadow (running or the last one ended) and its audit trail;
/// `{"shadow":null,…}` when it never had one.
struct GetShadow: FunctionHandler {
    let serving: ServingContext

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let experiment = try await serving.server.activeRecord()
        let shadows = ShadowStore(store: serving.store)
        return try .json(
            ShadowState(
                experimentId: experiment.id, shadow: try await shadows.current(experiment.id)?.0,
                audit: try await shadows.audit(experiment.id)))
    }
}
