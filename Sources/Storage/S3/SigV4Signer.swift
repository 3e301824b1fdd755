import Crypto
import Foundation

/// AWS Signature Version 4 with the `Authorization` header, as S3 (and GCS's interoperability API) verify it.
///
/// The payload is always hashed and signed (`x-amz-content-sha256`), never `UNSIGNED-PAYLOAD`, so a body altered
/// in transit is rejected even over plain HTTP to a local server. Every header the request carries is signed
/// (plus `host`), except those a transport may rewrite (`content-length`, `user-agent`, …).
public struct SigV4Signer: Sendable {
    /// The signing region (`us-east-1`, `auto`).
    public var region: String
    /// The signing service (`s3`; `iam` for moto's IAM API in tests).
    public var service: String

    /// Headers left unsigned because HTTP stacks add or change them (libcurl sets its own `User-Agent`,
    /// `Content-Length`, `Accept`, `Expect`).
    static let unsignedHeaders: Set<String> = [
        "authorization", "content-length", "user-agent", "accept", "accept-encoding", "expect", "connection",
    ]

    /// Whether `/` stays unencoded in the canonical query (only to interoperate with moto, see
    /// ``S3Configuration/SigningCompatibility/motoDecodedQuery``).
    public var keepsSlashesInCanonicalQuery: Bool

    /// Creates a signer for one region and service.
    public init(region: String, service: String = "s3", keepsSlashesInCanonicalQuery: Bool = false) {
        self.region = region
        self.service = service
        self.keepsSlashesInCanonicalQuery = keepsSlashesInCanonicalQuery
    }

    /// Adds `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (when there is one) and
    /// `Authorization` to `request`.
    public func sign(_ request: inout HTTPRequest, credentials: S3Credentials, date: Date) {
        let timestamp = Self.timestamp(date)
        let payloadHash = Self.hexSHA256(request.body)
        request.setHeader("x-amz-date", timestamp)
        request.setHeader("x-amz-content-sha256", payloadHash)
        if let token = credentials.sessionToken { request.setHeader("x-amz-security-token", token) }
        let (canonical, signedHeaders) = canonicalRequest(request, payloadHash: payloadHash)
        let scope = "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(Self.hexSHA256(Data(canonical.utf8)))"
        let signature = Self.hex(
            HMAC<SHA256>.authenticationCode(
                for: Data(stringToSign.utf8), using: signingKey(credentials, date: timestamp))
        )
        request.setHeader(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), "
                + "Signature=\(signature)"
        )
    }

    /// The canonical request text and the `SignedHeaders` list for `request`.
    public func canonicalRequest(_ request: HTTPRequest, payloadHash: String) -> (String, String) {
        var headers: [String: String] = ["host": request.hostHeader]
        for (name, value) in request.headers {
            let lower = name.lowercased()
            guard !Self.unsignedHeaders.contains(lower) else { continue }
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            headers[lower] = headers[lower].map { $0 + "," + trimmed } ?? trimmed
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!)\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let canonical = [
            request.method,
            request.encodedPath.isEmpty ? "/" : request.encodedPath,
            request.encodedQuery(keepingSlashes: keepsSlashesInCanonicalQuery),
            canonicalHeaders,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    private func signingKey(_ credentials: S3Credentials, date timestamp: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
        }
        let secret = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        return hmac(hmac(hmac(hmac(secret, String(timestamp.prefix(8))), region), service), "aws4_request")
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, without a `DateFormatter` (not thread-safe to share, slow to create).
    static func timestamp(_ date: Date) -> String {
        let components = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(components.year, 4) + pad(components.month, 2) + pad(components.day, 2) + "T"
            + pad(components.hour, 2) + pad(components.minute, 2) + pad(components.second, 2) + "Z"
    }

    static func hexSHA256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Calendar {
    /// A Gregorian calendar in UTC, for timestamps that must not depend on the machine's time zone.
    static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}
