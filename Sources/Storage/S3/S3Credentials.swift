/// An access key pair (and optional session token) for signing S3 or GCS HMAC requests.
public struct S3Credentials: Sendable, Hashable, CustomStringConvertible {
    /// The access key id (`AKIA…`, or a GCS HMAC access id).
    public var accessKeyID: String
    /// The secret used to derive signing keys; never logged or printed.
    public var secretAccessKey: String
    /// A temporary session token (`x-amz-security-token`), if the keys are temporary.
    public var sessionToken: String?

    /// Creates a credentials value.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Hides the secret, so credentials can be logged by mistake without leaking.
    public var description: String {
        let token = sessionToken == nil ? "" : ", sessionToken: <redacted>"
        return "S3Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>\(token))"
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`; for GCS,
    /// `GOOGLE_HMAC_ACCESS_ID` and `GOOGLE_HMAC_SECRET` are tried first.
    public static func fromEnvironment(
        _ environment: [String: String],
        dialect: S3Configuration.Dialect = .s3
    ) throws(StorageError) -> S3Credentials {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty
            else { return nil }
            return value
        }
        if dialect == .gcs, let id = value("GOOGLE_HMAC_ACCESS_ID"), let secret = value("GOOGLE_HMAC_SECRET") {
            return S3Credentials(accessKeyID: id, secretAccessKey: secret)
        }
        guard let id = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") else {
            let names =
                dialect == .gcs
                ? "GOOGLE_HMAC_ACCESS_ID and GOOGLE_HMAC_SECRET (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
                : "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            throw .missingCredentials("set \(names)")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
    }
}

/// Supplies the credentials for each request, so keys can rotate without recreating the store.
public protocol S3CredentialsProvider: Sendable {
    /// The credentials to sign the next request with.
    func credentials() async throws -> S3Credentials
}

/// A provider that always returns the same credentials.
public struct StaticCredentialsProvider: S3CredentialsProvider {
    /// The credentials returned on every call.
    public let value: S3Credentials

    /// Creates a provider for fixed credentials.
    public init(_ value: S3Credentials) {
        self.value = value
    }

    public func credentials() async throws -> S3Credentials { value }
}
