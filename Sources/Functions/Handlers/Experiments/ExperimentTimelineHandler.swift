import FunctionRuntime

/// `GET /experiments/{experimentId}/timeline?windowHours=N`: the same analysis hour by hour — cumulative riders and
/// conversions per variant (with CUPED's raw and adjusted differences), or wins, losses and ties under
/// interleaving, with the always-valid p-value, SRM and the decision at each hour's end.
struct ExperimentTimelineHandler: FunctionHandler {
    let serving: ServingContext

    /// Reads and merges up to a month of hourly tallies.
    var isCPUHeavy: Bool { true }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try .json(try await ExperimentAnalysis.load(request, serving: serving).timeline)
    }
}
