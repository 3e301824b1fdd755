import Foundation
import FunctionRuntime

/// `DELETE /admin/shadow`: ends the active experiment's shadow (409 when none runs). The shadow stays recorded as
/// ended, so its summary remains answerable.
struct StopShadow: FunctionHandler {
    let serving: ServingContext

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let experiment = try await serving.server.activeRecord()
        let shadows = ShadowStore(store: serving.store)
        guard let (current, etag) = try await shadows.current(experiment.id), current.isActive else {
            throw FunctionError.conflict("no shadow runs for experiment \"\(experiment.id)\"")
        }
        var ended = current
        ended.generation += 1
        ended.endedAt = serving.clock.now()
        try await StartShadow.swap(ended, expecting: etag, action: "end", shadows, context)
        await serving.server.refresh()
        context.logger.notice("shadow ended", metadata: ["version": "\(current.version)"])
        return try .json(ended)
    }
}
