import Foundation

/// What a handler answers: a status, headers and body bytes.
public struct FunctionResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Response headers (names as written).
    public var headers: [String: String]
    /// The response body.
    public var body: Data

    /// Creates a response.
    public init(status: Int = 200, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response of `value`, encoded with sorted keys and ISO-8601 dates.
    public static func json(_ value: some Encodable, status: Int = 200) throws -> FunctionResponse {
        FunctionResponse(
            status: status,
            headers: ["Content-Type": "application/json"],
            body: try JSONCoding.encoder.encode(value)
        )
    }

    /// A plain-text or other typed response.
    public static func text(
        _ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8"
    )
        -> FunctionResponse
    {
        FunctionResponse(status: status, headers: ["Content-Type": contentType], body: Data(text.utf8))
    }
}

/// The JSON settings every RideEase response and stored document shares.
public enum JSONCoding {
    /// Sorted keys (stable diffs and checksums), ISO-8601 dates, no escaped slashes.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// ``encoder`` with indentation, for people reading CLI output.
    public static var prettyEncoder: JSONEncoder {
        let encoder = encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        return encoder
    }

    /// ISO-8601 dates, matching ``encoder``.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
