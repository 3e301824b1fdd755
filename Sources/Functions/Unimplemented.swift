import FunctionRuntime

/// A declared function whose handler is not built yet: answers 501 saying when it will be.
struct Unimplemented: FunctionHandler {
    let reason: String

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        throw FunctionError.unimplemented("\(context.functionName) is not implemented yet: \(reason)")
    }
}
