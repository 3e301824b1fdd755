import FunctionRuntime

/// `GET /traces/{requestId}`: the provenance of one prediction, from any instance and after restarts.
struct GetTrace: FunctionHandler {
    let serving: ServingContext

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let requestId = request.pathParameters["requestId"] ?? ""
        guard RequestID.timestamp(of: requestId) != nil else {
            throw FunctionError.invalidArgument(
                "requestId must be a UUIDv7 request id, as returned by /recommendations")
        }
        let trace: PredictionTrace?
        do {
            trace = try await serving.traces.find(requestId)
        } catch {
            serving.metrics.storageError(operation: "lookup")
            throw FunctionError.unavailable("traces cannot be read right now; retry", retryAfterSeconds: 5)
        }
        guard let trace else { throw FunctionError.notFound("no trace for request \(requestId)") }
        return try .json(trace)
    }
}
