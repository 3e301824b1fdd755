import Foundation
import FunctionRuntime

/// The console reads and acts through the bundle's own functions, in process: the same invoker, handlers,
/// validation, logs and metrics as an HTTP caller, so the console never re-implements a read.
///
/// A function is addressed by its HANDLER (`getTrace`, `switchModel`, …), never by its path: `functions.yaml` may
/// give a function any route (or rename it) and the console still finds it. Path parameters are passed
/// explicitly. Calls are `manual` invocations without the admin-key check: the console has checked its own
/// session first.
struct ConsoleAPI: Sendable {
    let invoker: FunctionInvoker

    /// The first function of the manifest that runs `handler`.
    func function(handler: String) -> FunctionDeclaration? {
        invoker.manifest.functions.first { $0.handler == handler }
    }

    /// The answer of `handler`'s function, or 404 when the bundle declares no function with that handler.
    func call(
        _ handler: String, pathParameters: [String: String] = [:], query: [String: String] = [:],
        body: Data = Data()
    ) async -> FunctionResponse {
        guard let function = function(handler: handler) else {
            return FunctionError.notFound("this bundle declares no function with handler \(handler)").response
        }
        let trigger = function.httpTriggers.first
        let request = FunctionRequest(
            method: trigger?.method ?? "POST", path: trigger?.path.path(filling: pathParameters) ?? "/",
            pathParameters: pathParameters, query: query,
            headers: body.isEmpty ? [:] : ["content-type": "application/json"], body: body, trigger: .manual)
        return await invoker.invoke(function, request: request, checkAuth: false)
    }

    /// The JSON answer of `handler`'s function decoded as `type`, or the error to show in its place.
    func read<Value: Decodable>(
        _ type: Value.Type, _ handler: String, pathParameters: [String: String] = [:], query: [String: String] = [:]
    ) async -> Result<Value, FunctionError> {
        let response = await call(handler, pathParameters: pathParameters, query: query)
        guard (200..<300).contains(response.status) else { return .failure(Self.error(in: response)) }
        do {
            return .success(try JSONCoding.decoder.decode(Value.self, from: response.body))
        } catch {
            return .failure(.internalError("the \(handler) function answered a body the console cannot read"))
        }
    }

    /// The error a function answered, from its JSON envelope.
    static func error(in response: FunctionResponse) -> FunctionError {
        FunctionError(answer: response)
            ?? FunctionError(status: response.status, code: "unknown", message: "status \(response.status)")
    }
}
