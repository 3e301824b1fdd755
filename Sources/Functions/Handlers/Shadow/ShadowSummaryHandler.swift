import Foundation
import FunctionRuntime

/// `GET /admin/shadow/summary?windowHours=N` (1–720, default 24): how the active experiment's shadow compared with
/// the served models — requests, errors, drops, scoring latency, Jaccard@k, RBO, top-item changes — in total, per
/// variant and per rider activity, across every instance (from the hourly tallies).
struct ShadowSummaryHandler: FunctionHandler {
    let serving: ServingContext

    /// Reads and merges up to a month of hourly tallies.
    var isCPUHeavy: Bool { true }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        var hours = ShadowAnalysis.defaultHours
        if let text = request.query["windowHours"] {
            guard let value = Int(text), ShadowAnalysis.allowedHours.contains(value) else {
                throw FunctionError.invalidArgument("windowHours must be a whole number from 1 to 720, not \"\(text)\"")
            }
            hours = value
        }
        let experiment = try await serving.server.activeRecord()
        let shadow = try await ShadowStore(store: serving.store).current(experiment.id)?.0
        return try .json(
            try await ShadowAnalysis.summary(
                experimentId: experiment.id, shadow: shadow, windowHours: hours, now: serving.clock.now(),
                store: TallyStore(store: serving.store, experimentId: experiment.id)))
    }
}
