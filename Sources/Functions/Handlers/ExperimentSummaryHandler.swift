import FunctionRuntime

/// `GET /experiments/{experimentId}/summary?windowHours=24`: per-variant users and conversions in the window, the
/// tests, SRM, guardrails and the ship / rollback / keep-running decision (module `Experiments`).
///
/// The unit of analysis is the rider: exposed when they got a recommendation from a variant in the window,
/// converted when a conversion attributed to one of their requests falls in it too. The counts come from hourly
/// tallies (``TallyStore``), not from the traces, so the cost does not grow with traffic.
struct ExperimentSummaryHandler: FunctionHandler {
    let serving: ServingContext
    let tallies: TallyStore

    /// Reads and merges up to a month of hourly tallies.
    var isCPUHeavy: Bool { true }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        try .json(try await ExperimentAnalysis.load(request, serving: serving, tallies: tallies).summary)
    }
}
