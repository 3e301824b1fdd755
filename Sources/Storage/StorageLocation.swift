import Foundation

/// Where RideEase keeps its state, parsed from `RIDEEASE_STORAGE`.
///
/// Accepted forms: `file:///abs/path`, `/abs/path`, `./relative/path` (any string without a scheme is a path),
/// `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&addressing=path|virtual`, and
/// `gs://bucket/prefix` (GCS through its S3-compatible XML API; `endpoint` may be overridden the same way).
/// `signing=moto` works around moto's signature check (see ``S3Configuration/SigningCompatibility``).
public enum StorageLocation: Sendable, Hashable {
    /// A local folder (absolute path).
    case folder(String)
    /// An S3-compatible bucket (GCS included, see ``S3Configuration/Dialect``).
    case bucket(S3Configuration)

    static let usage =
        "use file:///absolute/path, ./relative/path, s3://bucket/prefix?endpoint=…&region=… "
        + "or gs://bucket/prefix"

    /// Parses a storage URL; relative paths are resolved against `currentDirectory`.
    public static func parse(
        _ string: String,
        environment: [String: String] = [:],
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(StorageError) -> StorageLocation {
        let text = string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw .invalidLocation(string, reason: "it is empty; \(usage)") }
        guard let schemeEnd = text.range(of: "://") else {
            if text.hasPrefix("/") { return .folder(normalizedPath(text)) }
            if text.contains(":") && !text.hasPrefix(".") {
                throw .invalidLocation(string, reason: "unrecognised form; \(usage)")
            }
            return .folder(normalizedPath(currentDirectory + "/" + text))
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard let components = URLComponents(string: text) else {
            throw .invalidLocation(
                string, reason: "it is not a valid URL (spaces and other special characters must be percent-encoded)")
        }
        switch scheme {
        case "file":
            return try parseFile(components, original: string)
        case "s3", "gs":
            return .bucket(try parseBucket(components, scheme: scheme, original: string, environment: environment))
        default:
            throw .invalidLocation(string, reason: "unsupported scheme \"\(scheme)\"; \(usage)")
        }
    }

    private static func parseFile(_ components: URLComponents, original: String) throws(StorageError) -> StorageLocation
    {
        if let host = components.host, !host.isEmpty, host != "localhost" {
            throw .invalidLocation(
                original,
                reason: "a file URL names a folder on this machine: write file:///absolute/path (three slashes)"
            )
        }
        guard components.query == nil else {
            throw .invalidLocation(original, reason: "file URLs take no query parameters")
        }
        let path = components.path
        guard path.hasPrefix("/"), path.count > 1 else {
            throw .invalidLocation(original, reason: "a file URL needs an absolute folder path")
        }
        return .folder(normalizedPath(path))
    }

    private static func parseBucket(
        _ components: URLComponents,
        scheme: String,
        original: String,
        environment: [String: String]
    ) throws(StorageError) -> S3Configuration {
        guard let bucket = components.host, !bucket.isEmpty else {
            throw .invalidLocation(original, reason: "the bucket name is missing (\(scheme)://bucket/prefix)")
        }
        guard components.port == nil, components.user == nil, components.password == nil else {
            throw .invalidLocation(
                original,
                reason: "put the server in ?endpoint=… and credentials in the environment, not in the URL"
            )
        }
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["endpoint", "region", "addressing", "signing", "partSizeMiB"].contains(item.name) else {
                throw .invalidLocation(
                    original,
                    reason:
                        "unknown parameter \"\(item.name)\" (known: endpoint, region, addressing, signing, partSizeMiB)"
                )
            }
            guard let value = item.value, !value.isEmpty else {
                throw .invalidLocation(original, reason: "parameter \"\(item.name)\" has no value")
            }
            parameters[item.name] = value
        }
        let prefix = String(components.path.drop(while: { $0 == "/" }))
        var configuration: S3Configuration
        if scheme == "gs" {
            configuration = .googleCloudStorage(bucket: bucket, keyPrefix: prefix)
        } else {
            let region = parameters["region"] ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]
            configuration = S3Configuration(
                bucket: bucket,
                keyPrefix: prefix,
                endpoint: URL(string: "https://s3.\(region ?? "us-east-1").amazonaws.com")!,
                region: region ?? "us-east-1",
                addressing: .virtual
            )
        }
        if let region = parameters["region"] { configuration.region = region }
        if let endpoint = parameters["endpoint"] {
            guard let url = URL(string: endpoint), url.host != nil else {
                throw .invalidLocation(original, reason: "endpoint \"\(endpoint)\" is not a URL like http://host:port")
            }
            configuration.endpoint = url
            // Custom servers (MinIO, moto, R2 via IP) rarely have wildcard DNS for virtual-hosted buckets.
            configuration.addressing = .path
        }
        if let addressing = parameters["addressing"] {
            guard let value = S3Configuration.Addressing(rawValue: addressing) else {
                throw .invalidLocation(
                    original, reason: "addressing must be \"path\" or \"virtual\", not \"\(addressing)\"")
            }
            configuration.addressing = value
        }
        if let signing = parameters["signing"] {
            guard let value = S3Configuration.SigningCompatibility(rawValue: signing) else {
                throw .invalidLocation(original, reason: "signing must be \"standard\" or \"moto\", not \"\(signing)\"")
            }
            configuration.signingCompatibility = value
        }
        if let text = parameters["partSizeMiB"] {
            guard let mebibytes = Int(text), (5...5_120).contains(mebibytes) else {
                throw .invalidLocation(original, reason: "partSizeMiB must be a whole number 5-5120, not \"\(text)\"")
            }
            configuration.partSize = mebibytes * 1024 * 1024
        }
        do {
            try configuration.validate()
        } catch .invalidLocation(_, let reason) {
            throw .invalidLocation(original, reason: reason)
        } catch {
            throw error
        }
        return configuration
    }

    private static func normalizedPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// Opens the store `urlString` (the value of `RIDEEASE_STORAGE`) names, with credentials from `environment`.
///
/// Throws ``StorageError/invalidLocation(_:reason:)`` for a malformed URL and
/// ``StorageError/missingCredentials(_:)`` when a bucket is named but no keys are set: both are startup errors to
/// show the user as they are.
public func makeObjectStore(from urlString: String, environment: [String: String]) throws -> any ObjectStore {
    switch try StorageLocation.parse(urlString, environment: environment) {
    case .folder(let path):
        return try FileStore(root: URL(fileURLWithPath: path, isDirectory: true))
    case .bucket(let configuration):
        let credentials = try S3Credentials.fromEnvironment(environment, dialect: configuration.dialect)
        return try S3Store(configuration: configuration, credentials: StaticCredentialsProvider(credentials))
    }
}
