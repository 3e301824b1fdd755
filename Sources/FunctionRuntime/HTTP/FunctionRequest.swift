import Foundation

/// One invocation's input, independent of the HTTP server that received it (or of the scheduler that fired it).
public struct FunctionRequest: Sendable {
    /// What started the invocation.
    public enum Trigger: Sendable, Hashable {
        /// An HTTP request.
        case http
        /// The schedule, for the fire time it was due at.
        case schedule(scheduledFor: Date)
        /// A person: `rideease invoke` or the console's "run now".
        case manual
    }

    /// The upper-case HTTP method (`POST` for scheduled and manual invocations).
    public var method: String
    /// The request path, without the query.
    public var path: String
    /// Values captured by the route's `{placeholders}`.
    public var pathParameters: [String: String]
    /// Query parameters; for a repeated name, the last value.
    public var query: [String: String]
    /// Headers with lower-cased names; repeated headers are joined with `,`.
    public var headers: [String: String]
    /// The request body.
    public var body: Data
    /// The time-ordered request id, echoed as `X-Request-Id`.
    public var requestId: String
    /// What started the invocation.
    public var trigger: Trigger

    /// Creates a request.
    public init(
        method: String = "POST",
        path: String = "/",
        pathParameters: [String: String] = [:],
        query: [String: String] = [:],
        headers: [String: String] = [:],
        body: Data = Data(),
        requestId: String = RequestID.generate(),
        trigger: Trigger = .http
    ) {
        self.method = method
        self.path = path
        self.pathParameters = pathParameters
        self.query = query
        self.headers = headers
        self.body = body
        self.requestId = requestId
        self.trigger = trigger
    }

    /// Decodes the body as JSON, or throws `invalid_argument` naming what is wrong.
    public func decodeJSON<T: Decodable>(_ type: T.Type) throws(FunctionError) -> T {
        guard !body.isEmpty else { throw .invalidArgument("request body must be a JSON object") }
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch let error as DecodingError {
            throw .invalidArgument(Self.describe(error))
        } catch {
            throw .invalidArgument("request body is not valid JSON")
        }
    }

    /// Turns a `DecodingError` into a sentence that names the field, without internal type names.
    public static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "body" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(field(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "request body is not valid JSON" : "\(field(context.codingPath)) is invalid"
        @unknown default:
            return "request body is invalid"
        }
    }
}
