import Foundation
import Logging

/// An ``ObjectStore`` in an S3-compatible bucket (AWS S3, GCS's XML API, MinIO, R2, moto), over HTTP with SigV4.
///
/// Preconditions map to `If-None-Match: *` / `If-Match` (or GCS generations, see ``S3Configuration/Dialect``);
/// HTTP 412, and 409 `ConditionalRequestConflict` (a concurrent conditional write won), become
/// ``StorageError/preconditionFailed(key:)``. Transient failures are retried per ``RetryPolicy``; when retries are
/// exhausted the call throws ``StorageError/unavailable(endpoint:attempts:reason:)``. S3 writes are atomic on the
/// server: a failed or interrupted PUT never leaves a partial object.
public struct S3Store: ObjectStore {
    /// Where the bucket is and how requests are made.
    public let configuration: S3Configuration
    let builder: S3RequestBuilder
    let signer: SigV4Signer
    let credentialsProvider: any S3CredentialsProvider
    let transport: any HTTPTransport
    let logger: Logger
    let now: @Sendable () -> Date

    /// Creates a store; throws ``StorageError/invalidLocation(_:reason:)`` for an unusable configuration.
    ///
    /// - Parameters:
    ///   - credentials: where signing keys come from (``StaticCredentialsProvider`` for fixed keys).
    ///   - transport: how requests are sent; ``URLSessionTransport`` unless a test records requests.
    ///   - now: the clock for request signatures.
    public init(
        configuration: S3Configuration,
        credentials: any S3CredentialsProvider,
        transport: any HTTPTransport = URLSessionTransport(),
        logger: Logger = Logger(label: "rideease.storage.s3"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(StorageError) {
        try configuration.validate()
        self.configuration = configuration
        self.builder = S3RequestBuilder(configuration: configuration)
        self.signer = SigV4Signer(
            region: configuration.region,
            keepsSlashesInCanonicalQuery: configuration.signingCompatibility == .motoDecodedQuery
        )
        self.credentialsProvider = credentials
        self.transport = transport
        self.logger = logger
        self.now = now
    }

    public func get(_ key: String) async throws -> StoredObject? {
        try ObjectKey.validate(key)
        let response = try await send(builder.get(key), key: key)
        switch response.status {
        case 200:
            return StoredObject(key: key, data: response.body, etag: try etag(from: response, key: key))
        case 404 where isMissingKey(response):
            return nil
        default:
            throw backendError(response, key: key)
        }
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try ObjectKey.validate(key)
        let response = try await send(builder.head(key), key: key)
        switch response.status {
        case 200:
            let size = Int(response.headers["content-length"] ?? "") ?? 0
            let modified = response.headers["last-modified"].flatMap(Self.parseHTTPDate)
            return ObjectInfo(key: key, size: size, etag: try etag(from: response, key: key), lastModified: modified)
        case 404:
            // HEAD answers carry no body, so a missing bucket looks like a missing key here.
            return nil
        default:
            throw backendError(response, key: key)
        }
    }

    @discardableResult
    public func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String {
        try ObjectKey.validate(key)
        let response = try await send(builder.put(key, data: data, precondition: precondition), key: key)
        switch response.status {
        case 200, 201, 204:
            return try etag(from: response, key: key)
        case 412:
            throw StorageError.preconditionFailed(key: key)
        case 409 where S3XML.parseError(response.body)?.code == "ConditionalRequestConflict":
            throw StorageError.preconditionFailed(key: key)
        case 404 where isMissingKey(response):
            // S3 answers If-Match on a missing object with 404 NoSuchKey: the expected version is gone.
            if case .ifMatch = precondition { throw StorageError.preconditionFailed(key: key) }
            throw backendError(response, key: key)
        default:
            throw backendError(response, key: key)
        }
    }

    public func delete(_ key: String) async throws {
        try ObjectKey.validate(key)
        let response = try await send(builder.delete(key), key: key)
        switch response.status {
        case 200, 202, 204:
            return
        case 404 where isMissingKey(response):
            return
        default:
            throw backendError(response, key: key)
        }
    }

    public func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing {
        try ObjectKey.validatePrefix(prefix)
        let limit = max(1, min(maxKeys, 1000))
        let response = try await send(
            builder.list(prefix: prefix, continuationToken: continuationToken, maxKeys: limit))
        guard response.status == 200 else { throw backendError(response, key: nil) }
        let page = try S3XML.parseListPage(response.body)
        let objects = page.entries.compactMap { entry -> ObjectInfo? in
            guard let key = builder.userKey(entry.key) else { return nil }
            let etag = configuration.dialect == .gcs ? (entry.generation ?? entry.etag) : entry.etag
            return ObjectInfo(key: key, size: entry.size, etag: etag, lastModified: entry.lastModified)
        }
        return ObjectListing(objects: objects, continuationToken: page.isTruncated ? page.nextContinuationToken : nil)
    }

    public func uri(for key: String) -> String {
        let scheme = configuration.dialect == .gcs ? "gs" : "s3"
        return "\(scheme)://\(configuration.bucket)/\(builder.bucketKey(key))"
    }

    /// Creates the bucket if it does not exist yet (for local servers and tests; production buckets are
    /// provisioned outside the application).
    public func createBucketIfNeeded() async throws {
        let response = try await send(builder.createBucket())
        switch response.status {
        case 200, 204:
            return
        case 409
        where ["BucketAlreadyOwnedByYou", "BucketAlreadyExists"].contains(S3XML.parseError(response.body)?.code):
            return
        default:
            throw backendError(response, key: nil)
        }
    }

    /// Signs the request and sends it, retrying transient failures per ``RetryPolicy``.
    ///
    /// Returns the first non-retryable response (2xx, 3xx, 4xx but 429). Throws ``StorageError/unavailable`` when
    /// every attempt failed transiently.
    func send(_ unsigned: HTTPRequest, key: String? = nil) async throws -> HTTPResponse {
        let policy = configuration.retry
        var generator = SystemRandomNumberGenerator()
        var lastReason = ""
        for attempt in 1...policy.maxAttempts {
            if attempt > 1 {
                try await Task.sleep(for: policy.delay(beforeRetry: attempt - 1, using: &generator))
            }
            var request = unsigned
            // Signed per attempt: the signature's timestamp must be fresh (S3 allows 15 minutes of skew).
            signer.sign(&request, credentials: try await credentialsProvider.credentials(), date: now())
            do {
                let response = try await transport.send(request, timeout: configuration.requestTimeout)
                guard response.status >= 500 || response.status == 429 else { return response }
                let document = S3XML.parseError(response.body)
                lastReason = "HTTP \(response.status)" + (document.map { " \($0.code): \($0.message)" } ?? "")
            } catch let error as StorageError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastReason = Self.describe(error)
            }
            logger.debug(
                "storage request failed, will retry",
                metadata: [
                    "method": "\(request.method)", "key": "\(key ?? "")", "attempt": "\(attempt)",
                    "reason": "\(lastReason)",
                ]
            )
        }
        throw StorageError.unavailable(
            endpoint: configuration.endpoint.absoluteString,
            attempts: policy.maxAttempts,
            reason: lastReason
        )
    }

    private func etag(from response: HTTPResponse, key: String) throws(StorageError) -> String {
        let name = configuration.dialect == .gcs ? "x-goog-generation" : "etag"
        guard let value = response.headers[name], !value.isEmpty else {
            throw .malformedResponse("the answer for \"\(key)\" has no \(name) header")
        }
        return value
    }

    /// A 404 means "no such key" only when the body says so (or there is no body); `NoSuchBucket` is an error.
    private func isMissingKey(_ response: HTTPResponse) -> Bool {
        guard let document = S3XML.parseError(response.body) else { return true }
        return document.code == "NoSuchKey"
    }

    func backendError(_ response: HTTPResponse, key: String?) -> StorageError {
        if let document = S3XML.parseError(response.body) {
            return .backend(code: document.code, message: document.message, status: response.status, key: key)
        }
        let code =
            switch response.status {
            case 400: "BadRequest"
            case 403: "AccessDenied"
            case 404: "NotFound"
            case 405: "MethodNotAllowed"
            case 409: "Conflict"
            default: "HTTP\(response.status)"
            }
        return .backend(code: code, message: "", status: response.status, key: key)
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain {
            return "\(nsError.localizedDescription) (URLError \(nsError.code))"
        }
        return "\(error)"
    }

    /// `Last-Modified` uses the RFC 7231 date format.
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
