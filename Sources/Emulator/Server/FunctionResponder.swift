import Foundation
import FunctionRuntime
import HTTPTypes
import Hummingbird
import NIOCore

/// The whole HTTP surface of the emulator: built-in endpoints, then the manifest's routes through the
/// ``FunctionInvoker``. Hummingbird stops here: handlers only ever see ``FunctionRequest``.
struct FunctionResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let routes: RouteTable
    let invoker: FunctionInvoker
    let exporter: PrometheusExporter
    let builtIns: BuiltInRoutes

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        // A caller's id is adopted only when it is a UUIDv7: request ids must be time-ordered, so that a trace can
        // be found by the time in its id.
        let requestId =
            request.headers[.xRequestID].flatMap { RequestID.timestamp(of: $0) != nil ? $0 : nil }
            ?? RequestID.generate()
        let builtIn = BuiltInRoutes.table.match(method: request.method.rawValue, path: path)
        if case .found(.metrics, _) = builtIn {
            var headers = HTTPFields()
            headers[.contentType] = PrometheusExporter.contentType
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: exporter.exposition())))
        }
        if let answer = await builtIns.respond(
            builtIn, method: request.method.rawValue, path: path, headers: Self.headers(request.headers))
        {
            return Self.response(answer, requestId: requestId, head: request.method == .head)
        }
        let match = routes.match(method: request.method.rawValue, path: path)
        if let refusal = match.refusal(
            method: request.method.rawValue, notFound: "no function serves \(request.method.rawValue) \(path)")
        {
            return Self.response(refusal.response, requestId: requestId, head: request.method == .head)
        }
        guard case .found(let function, let parameters) = match else { preconditionFailure("a match has no refusal") }
        var request = request
        let body: Data
        do {
            body = try await Self.collectBody(&request, limit: function.maxRequestBytes)
        } catch {
            return Self.response(
                FunctionError.payloadTooLarge(limit: function.maxRequestBytes).response,
                requestId: requestId,
                head: false
            )
        }
        let functionRequest = FunctionRequest(
            method: request.method.rawValue,
            path: path,
            pathParameters: parameters,
            query: Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { _, last in
                last
            },
            headers: Self.headers(request.headers),
            body: body,
            requestId: requestId,
            trigger: .http
        )
        let answer = await invoker.invoke(function, request: functionRequest)
        return Self.response(answer, requestId: requestId, head: request.method == .head)
    }

    /// Reads the body, refusing early on a declared length over the limit and while streaming otherwise.
    private static func collectBody(_ request: inout Request, limit: Int) async throws -> Data {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw FunctionError.payloadTooLarge(limit: limit)
        }
        let buffer = try await request.collectBody(upTo: limit)
        return Data(buffer: buffer)
    }

    private static func headers(_ fields: HTTPFields) -> [String: String] {
        var headers: [String: String] = [:]
        for field in fields {
            let name = field.name.canonicalName.lowercased()
            headers[name] = headers[name].map { "\($0),\(field.value)" } ?? field.value
        }
        return headers
    }

    private static func response(_ answer: FunctionResponse, requestId: String, head: Bool) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        fields[.xRequestID] = requestId
        let status = HTTPResponse.Status(code: answer.status)
        if head {
            fields[.contentLength] = String(answer.body.count)
            return Response(status: status, headers: fields)
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
}
