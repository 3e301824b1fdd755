import Foundation

/// An error a handler throws on purpose: it becomes an HTTP status and a JSON body
/// `{"error":{"code":"invalid_argument","message":"limit must be between 1 and 100"}}`.
///
/// Codes follow Google's API error model (the ones Cloud Run users already read in logs).
public struct FunctionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    /// A stable machine-readable code (`invalid_argument`, `not_found`, …).
    public var code: String
    /// A sentence for the caller naming the problem.
    public var message: String
    /// Extra response headers (`Allow` on 405, `Retry-After` on 503).
    public var headers: [String: String]

    /// Creates an error value.
    public init(status: Int, code: String, message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status) \(code): \(message)" }

    /// 400: the request is malformed or a value is out of range.
    public static func invalidArgument(_ message: String) -> FunctionError {
        FunctionError(status: 400, code: "invalid_argument", message: message)
    }
    /// 400: the request is valid but the system is not in a state to run it (no data yet).
    public static func failedPrecondition(_ message: String) -> FunctionError {
        FunctionError(status: 400, code: "failed_precondition", message: message)
    }
    /// 401: credentials are missing or wrong.
    public static func unauthenticated(_ message: String) -> FunctionError {
        FunctionError(status: 401, code: "unauthenticated", message: message)
    }
    /// 403: the credentials are valid but do not allow this (the read-only viewer key on an admin function).
    public static func permissionDenied(_ message: String) -> FunctionError {
        FunctionError(status: 403, code: "permission_denied", message: message)
    }
    /// 404: the thing asked for does not exist.
    public static func notFound(_ message: String) -> FunctionError {
        FunctionError(status: 404, code: "not_found", message: message)
    }
    /// 405: the path exists but not for this method.
    public static func methodNotAllowed(_ method: String, allowed: [String]) -> FunctionError {
        FunctionError(
            status: 405,
            code: "method_not_allowed",
            message: "method \(method) is not allowed here; use \(allowed.joined(separator: ", "))",
            headers: ["Allow": allowed.joined(separator: ", ")]
        )
    }
    /// 409: the request conflicts with the current state (a lost compare-and-swap, a run already going).
    public static func conflict(_ message: String) -> FunctionError {
        FunctionError(status: 409, code: "conflict", message: message)
    }
    /// 413: the body is larger than the function accepts.
    public static func payloadTooLarge(limit: Int) -> FunctionError {
        FunctionError(
            status: 413, code: "payload_too_large", message: "request body exceeds the limit of \(limit) bytes")
    }
    /// 415: the body is not in a format the function reads.
    public static func unsupportedMediaType(_ message: String) -> FunctionError {
        FunctionError(status: 415, code: "unsupported_media_type", message: message)
    }
    /// 500: a bug or an unexpected failure; the message must not leak internals.
    public static func internalError(_ message: String = "internal error") -> FunctionError {
        FunctionError(status: 500, code: "internal", message: message)
    }
    /// 501: the function is declared but not built yet.
    public static func unimplemented(_ message: String) -> FunctionError {
        FunctionError(status: 501, code: "unimplemented", message: message)
    }
    /// 503: the service cannot answer now (no model loaded, admin API disabled, storage down).
    public static func unavailable(_ message: String, retryAfterSeconds: Int? = nil) -> FunctionError {
        FunctionError(
            status: 503,
            code: "unavailable",
            message: message,
            headers: retryAfterSeconds.map { ["Retry-After": String($0)] } ?? [:]
        )
    }
    /// 504: the function ran past its timeout.
    public static func deadlineExceeded(_ message: String) -> FunctionError {
        FunctionError(status: 504, code: "deadline_exceeded", message: message)
    }

    /// The JSON error response for this error.
    public var response: FunctionResponse {
        struct Envelope: Encodable {
            struct Body: Encodable {
                var code: String
                var message: String
            }
            var error: Body
        }
        let body = (try? JSONCoding.encoder.encode(Envelope(error: .init(code: code, message: message)))) ?? Data()
        var headers = headers
        headers["Content-Type"] = "application/json"
        return FunctionResponse(status: status, headers: headers, body: body)
    }
}
