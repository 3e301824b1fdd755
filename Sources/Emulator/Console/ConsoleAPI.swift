import Foundation
import FunctionRuntime

/// The console reads and acts through the bundle's own functions, in process: the same route table, invoker,
/// handlers, validation, logs and metrics as an HTTP caller, so the console never re-implements a read.
/// Calls are `manual` invocations without the admin-key check: the console has checked its own session first.
struct ConsoleAPI: Sendable {
    let routes: RouteTable
    let invoker: FunctionInvoker

    /// The function's answer to `method path`, or 404 when the bundle declares no function for it.
    func call(
        _ method: String, _ path: String, query: [String: String] = [:], body: Data = Data()
    ) async -> FunctionResponse {
        guard case .function(let function, let parameters) = routes.match(method: method, path: path) else {
            return FunctionError.notFound("this bundle declares no function for \(method) \(path)").response
        }
        let request = FunctionRequest(
            method: method, path: path, pathParameters: parameters, query: query,
            headers: body.isEmpty ? [:] : ["content-type": "application/json"], body: body, trigger: .manual)
        return await invoker.invoke(function, request: request, checkAuth: false)
    }

    /// The JSON answer of `GET path` decoded as `type`, or the error to show in its place.
    func read<Value: Decodable>(
        _ type: Value.Type, _ path: String, query: [String: String] = [:]
    ) async -> Result<Value, FunctionError> {
        let response = await call("GET", path, query: query)
        guard (200..<300).contains(response.status) else { return .failure(Self.error(in: response)) }
        do {
            return .success(try JSONCoding.decoder.decode(Value.self, from: response.body))
        } catch {
            return .failure(.internalError("GET \(path) answered a body the console cannot read"))
        }
    }

    /// The error a function answered, from its JSON envelope.
    static func error(in response: FunctionResponse) -> FunctionError {
        struct Envelope: Decodable {
            struct Detail: Decodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: response.body) else {
            return FunctionError(status: response.status, code: "unknown", message: "status \(response.status)")
        }
        return FunctionError(status: response.status, code: envelope.error.code, message: envelope.error.message)
    }
}
