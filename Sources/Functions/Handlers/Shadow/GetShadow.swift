import Foundation
import FunctionRuntime

/// `GET /admin/shadow`: the active experiment's shadow (running or the last one ended) and its audit trail;
/// `{"shadow":null,…}` when it never had one.
struct GetShadow: FunctionHandler {
    let serving: ServingContext

    struct Answer: Encodable {
        var experimentId: String
        var shadow: ShadowDeployment?
        var audit: [ShadowStore.Audit]

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(experimentId, forKey: .experimentId)
            try container.encode(shadow, forKey: .shadow)  // null, not absent, when there is none
            try container.encode(audit, forKey: .audit)
        }

        enum Key: String, CodingKey { case experimentId, shadow, audit }
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let experiment = try await serving.server.activeRecord()
        let shadows = ShadowStore(store: serving.store)
        return try .json(
            Answer(
                experimentId: experiment.id, shadow: try await shadows.current(experiment.id)?.0,
                audit: try await shadows.audit(experiment.id)))
    }
}
