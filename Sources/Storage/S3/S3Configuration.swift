import Foundation

/// Where and how an ``S3Store`` talks to its bucket.
public struct S3Configuration: Sendable, Hashable {
    /// How the bucket appears in request URLs.
    public enum Addressing: String, Sendable, Hashable, CaseIterable {
        /// `http://endpoint/bucket/key`: what MinIO, moto and most S3-compatible servers expect.
        case path
        /// `https://bucket.endpoint/key`: what AWS recommends, and the only form for new AWS buckets.
        case virtual
    }

    /// Which flavour of the XML API the server speaks; they differ only in how preconditions are expressed.
    public enum Dialect: String, Sendable, Hashable {
        /// AWS S3 and compatible servers: `If-None-Match: *` and `If-Match: <etag>`.
        case s3
        /// Google Cloud Storage's XML (interoperability) API: `x-goog-if-generation-match`, where `0` means
        /// create-only; the object generation (`x-goog-generation`) is used as the ETag.
        case gcs
    }

    /// Deviations from the SigV4 specification needed by some servers.
    public enum SigningCompatibility: String, Sendable, Hashable {
        /// The specification: `/` in query values is signed as `%2F`. Use with AWS, GCS, MinIO, R2.
        case standard
        /// moto (5.x) checks signatures against a URL its web framework has already decoded, so a `/` in a query
        /// value (a listing prefix like `events/2025/`) must be signed unencoded or moto answers
        /// `SignatureDoesNotMatch` (boto3 itself fails the same way against moto). Only for moto.
        case motoDecodedQuery = "moto"
    }

    /// The bucket's name.
    public var bucket: String
    /// Prepended to every key (normalised to end with `/` when not empty), so several deployments can share a
    /// bucket. Listings strip it again, so callers never see it.
    public var keyPrefix: String
    /// Scheme, host and optional port of the server (`https://s3.us-east-1.amazonaws.com`,
    /// `http://127.0.0.1:9000`, `https://storage.googleapis.com`).
    public var endpoint: URL
    /// The signing region (`us-east-1`; `auto` for GCS and R2).
    public var region: String
    /// Path-style or virtual-hosted-style URLs.
    public var addressing: Addressing
    /// S3 or GCS precondition headers.
    public var dialect: Dialect
    /// Per-attempt timeout: a request that makes no progress for this long fails (and may be retried).
    public var requestTimeout: Duration
    /// When and how often failed requests are retried.
    public var retry: RetryPolicy
    /// ``SigningCompatibility/standard`` except against moto.
    public var signingCompatibility: SigningCompatibility
    /// Objects larger than this are uploaded with S3 multipart upload in parts of this size, and downloaded by
    /// ``S3Store/getLarge(_:)`` in ranged GETs of this size, so memory stays bounded whatever the object's size.
    /// At least 5 MiB, S3's minimum for every part but the last.
    public var partSize: Int = Self.defaultPartSize

    /// 8 MiB, as the AWS CLI uses: a 300 MB artifact is 38 parts.
    public static let defaultPartSize = 8 * 1024 * 1024
    /// S3's smallest allowed part (all but the last).
    public static let minimumPartSize = 5 * 1024 * 1024

    /// Creates a configuration. This only stores the values; ``S3Store`` checks them when it is created.
    public init(
        bucket: String,
        keyPrefix: String = "",
        endpoint: URL,
        region: String = "us-east-1",
        addressing: Addressing = .path,
        dialect: Dialect = .s3,
        requestTimeout: Duration = .seconds(30),
        retry: RetryPolicy = RetryPolicy(),
        signingCompatibility: SigningCompatibility = .standard
    ) {
        self.bucket = bucket
        self.keyPrefix = keyPrefix
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self.dialect = dialect
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.signingCompatibility = signingCompatibility
    }

    /// The configuration for a Google Cloud Storage bucket through its S3-compatible XML API.
    public static func googleCloudStorage(bucket: String, keyPrefix: String = "") -> S3Configuration {
        S3Configuration(
            bucket: bucket,
            keyPrefix: keyPrefix,
            endpoint: URL(string: "https://storage.googleapis.com")!,
            region: "auto",
            addressing: .path,
            dialect: .gcs
        )
    }

    /// `keyPrefix` with exactly one trailing slash, or empty.
    var normalizedKeyPrefix: String {
        var prefix = keyPrefix
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return prefix.isEmpty ? "" : prefix + "/"
    }

    /// Checks what would otherwise fail on the first request with a confusing error.
    func validate() throws(StorageError) {
        let name = "s3://\(bucket)"
        guard Self.isValidBucketName(bucket) else {
            throw .invalidLocation(
                name,
                reason: "bucket names are 3-63 characters of lowercase letters, digits, \".\", \"-\" and \"_\""
            )
        }
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = endpoint.host, !host.isEmpty
        else {
            throw .invalidLocation(endpoint.absoluteString, reason: "the endpoint must be an http:// or https:// URL")
        }
        guard endpoint.path.isEmpty || endpoint.path == "/" else {
            throw .invalidLocation(endpoint.absoluteString, reason: "the endpoint must not have a path")
        }
        if addressing == .virtual && bucket.contains(".") && scheme == "https" {
            throw .invalidLocation(
                name,
                reason: "a bucket name with dots does not match the TLS certificate in virtual-hosted addressing; "
                    + "use addressing=path"
            )
        }
        guard !region.isEmpty, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            throw .invalidLocation(name, reason: "region \"\(region)\" is not a valid region name")
        }
        if !normalizedKeyPrefix.isEmpty {
            do {
                try ObjectKey.validate(String(normalizedKeyPrefix.dropLast()))
            } catch {
                throw .invalidLocation(name, reason: "the key prefix \"\(keyPrefix)\" is not a valid key path")
            }
        }
        guard partSize >= Self.minimumPartSize else {
            throw .invalidLocation(name, reason: "partSize \(partSize) is below S3's 5 MiB minimum part size")
        }
        guard retry.maxAttempts >= 1 else {
            throw .invalidLocation(name, reason: "retry.maxAttempts must be at least 1")
        }
    }

    static func isValidBucketName(_ name: String) -> Bool {
        // GCS also allows "_" (and longer dotted names); this is the common, safe subset.
        guard (3...63).contains(name.count) else { return false }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-"
                || scalar == "_"
        }
        guard allowed, let first = name.unicodeScalars.first, let last = name.unicodeScalars.last else { return false }
        let isAlphanumeric = { (scalar: Unicode.Scalar) in ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        return isAlphanumeric(first) && isAlphanumeric(last)
    }
}
