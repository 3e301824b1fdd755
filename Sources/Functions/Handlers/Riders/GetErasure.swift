import FunctionRuntime

/// `GET /riders/{userId}/erasure`: the progress of the rider's erasure, or 404 when none was requested.
struct GetErasure: FunctionHandler {
    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let userId = try ErasureInvocation.userId(request)
        let riderHash = try await ErasureInvocation.hash(context).hash(userId)
        guard let (record, _) = try await ErasureStore(store: context.storage).record(riderHash) else {
            throw FunctionError.notFound("no erasure was requested for this rider")
        }
        return try .json(record.progress)
    }
}
