import Foundation
import FunctionRuntime
import Scheduler

/// `GET /healthz`: liveness, with uptime; Cloud Run's probes and the demo's scripts call it.
struct Healthz: FunctionHandler {
    let startedAt: Date
    let clock: any WallClock

    struct Body: Encodable {
        var status: String
        var uptimeSeconds: Double
        var startedAt: Date
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let uptime = clock.now().timeIntervalSince(startedAt)
        return try .json(Body(status: "ok", uptimeSeconds: (uptime * 1000).rounded() / 1000, startedAt: startedAt))
    }
}
