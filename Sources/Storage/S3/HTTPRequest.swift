import Foundation

/// A transport-independent HTTP request: what ``S3RequestBuilder`` produces, ``SigV4Signer`` signs and an
/// ``HTTPTransport`` sends. Keeping it a plain value lets tests check exactly which headers go out.
public struct HTTPRequest: Sendable, Hashable {
    /// `GET`, `PUT`, …
    public var method: String
    /// Scheme, host, optional port (only if not the scheme's default).
    public var scheme: String
    /// The host name, without port.
    public var host: String
    /// The port, or `nil` for the scheme's default.
    public var port: Int?
    /// The URI-encoded path, starting with `/`, exactly as sent and signed.
    public var encodedPath: String
    /// Query parameters, unencoded; encoded by ``encodedQuery``.
    public var query: [(name: String, value: String)]
    /// Header names (any case) and values; `Host` is implied by ``host`` and ``port``.
    public var headers: [(name: String, value: String)]
    /// The body bytes.
    public var body: Data

    /// Creates a request value.
    public init(
        method: String,
        scheme: String,
        host: String,
        port: Int?,
        encodedPath: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        body: Data = Data()
    ) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The `Host` header value: `host` or `host:port`.
    public var hostHeader: String {
        port.map { "\(host):\($0)" } ?? host
    }

    /// The query string in SigV4's canonical form (sorted, RFC 3986 encoded); also what is sent.
    public var encodedQuery: String {
        encodedQuery(keepingSlashes: false)
    }

    /// The canonical query string; `keepingSlashes` leaves `/` unencoded in values (see
    /// ``S3Configuration/SigningCompatibility/motoDecodedQuery``).
    public func encodedQuery(keepingSlashes: Bool) -> String {
        var pairs: [(name: String, value: String)] = []
        for item in query {
            pairs.append(
                (
                    S3URIEncoding.encode(item.name, keepSlash: false),
                    S3URIEncoding.encode(item.value, keepSlash: keepingSlashes)
                )
            )
        }
        pairs.sort { lhs, rhs in lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name }
        var parts: [String] = []
        for pair in pairs { parts.append(pair.name + "=" + pair.value) }
        return parts.joined(separator: "&")
    }

    /// The full URL.
    public var url: URL? {
        let query = encodedQuery
        return URL(string: "\(scheme)://\(hostHeader)\(encodedPath)\(query.isEmpty ? "" : "?" + query)")
    }

    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Sets a header, replacing any with the same name.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.scheme == rhs.scheme && lhs.host == rhs.host && lhs.port == rhs.port
            && lhs.encodedPath == rhs.encodedPath && lhs.body == rhs.body
            && lhs.query.elementsEqual(rhs.query) { $0.name == $1.name && $0.value == $1.value }
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(hostHeader)
        hasher.combine(encodedPath)
        hasher.combine(body)
    }
}

/// An HTTP response: status, headers (names lowercased), body.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// Header values by lowercased name.
    public var headers: [String: String]
    /// The body bytes.
    public var body: Data

    /// Creates a response value.
    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Percent-encoding as SigV4 defines it: everything but `A-Z a-z 0-9 - _ . ~` is encoded, and `/` is kept only
/// in object key paths.
public enum S3URIEncoding {
    /// Encodes `string` for a path (`keepSlash: true`) or a query name or value.
    public static func encode(_ string: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += byte < 16 ? "%0" + hex : "%" + hex
            }
        }
        return out
    }
}
