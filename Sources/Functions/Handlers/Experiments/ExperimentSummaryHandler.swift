import FunctionRuntime

/// `GET /experiments/{experimentId}/summary?windowHours=N`: the analysis of a recorded experiment and its ship /
/// rollback / keep-running decision (module `Experiments`) — per-variant riders, tests, SRM, guardrails and CUPED
/// for an A/B experiment; wins, losses, ties, the sign test and SRM on first picks for an interleaving one. A
/// stopped experiment answers the summary it stopped with.
///
/// The unit of analysis is the rider. The counts come from hourly tallies (``TallyStore``), not from the traces, so
/// the cost does not grow with traffic.
struct ExperimentSummaryHandler: FunctionHandler {
    let serving: ServingContext

    /// Reads and merges up to a month of hourly tallies.
    var isCPUHeavy: Bool { true }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let record = try await ExperimentAnalysis.record(request, serving: serving)
        if record.status == .stopped, let final = record.finalSummary, request.query["windowHours"] == nil {
            return try .json(final)
        }
        return try .json(try await ExperimentAnalysis.load(request, serving: serving).report)
    }
}
