import Foundation
import FunctionRuntime
import Scheduler

/// `GET /healthz`: liveness with uptime and what is serving; `?probe=ready` answers 503 until every variant has a
/// model loaded, for a Cloud Run startup probe.
struct Healthz: FunctionHandler {
    let startedAt: Date
    let clock: any WallClock
    let serving: ServingContext

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let state = serving.server.current
        let ready = serving.server.isReady
        let body = HealthReport(
            status: "ok",
            ready: ready,
            uptimeSeconds: (clock.now().timeIntervalSince(startedAt) * 1000).rounded() / 1000,
            startedAt: startedAt,
            experimentId: state.experiment.id,
            deploymentGeneration: state.generation,
            models: state.models.mapValues(\.metadata.version.description)
        )
        return try .json(body, status: request.query["probe"] == "ready" && !ready ? 503 : 200)
    }
}
