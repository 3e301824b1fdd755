import FunctionRuntime

/// `GET /experiments/{experimentId}/timeline?windowHours=24`: the same analysis hour by hour — cumulative users,
/// conversions and rates per variant, the always-valid p-value, SRM and the decision at each hour's end.
struct ExperimentTimelineHandler: FunctionHandler {
    let serving: ServingContext
    let tallies: TallyStore

    /// Reads and merges up to a month of hourly tallies.
    var isCPUHeavy: Bool { true }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try .json(try await ExperimentAnalysis.load(request, serving: serving, tallies: tallies).timeline)
    }
}
