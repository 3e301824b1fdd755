import Foundation

/// Builds the (unsigned) HTTP requests for each object operation from an ``S3Configuration``.
///
/// Pure and synchronous, so the exact requests, GCS's precondition headers included, are unit-tested without a
/// server.
public struct S3RequestBuilder: Sendable {
    /// The configuration requests are built for.
    public let configuration: S3Configuration
    private let keyPrefix: String

    /// Creates a builder.
    public init(configuration: S3Configuration) {
        self.configuration = configuration
        self.keyPrefix = configuration.normalizedKeyPrefix
    }

    /// The key as stored in the bucket: the configured prefix plus `key`.
    public func bucketKey(_ key: String) -> String {
        keyPrefix + key
    }

    /// Strips the configured prefix from a key returned by the server.
    public func userKey(_ bucketKey: String) -> String? {
        guard bucketKey.hasPrefix(keyPrefix) else { return nil }
        return String(bucketKey.dropFirst(keyPrefix.count))
    }

    /// `GET` of an object.
    public func get(_ key: String) -> HTTPRequest {
        request("GET", key: key)
    }

    /// `HEAD` of an object.
    public func head(_ key: String) -> HTTPRequest {
        request("HEAD", key: key)
    }

    /// `DELETE` of an object.
    public func delete(_ key: String) -> HTTPRequest {
        request("DELETE", key: key)
    }

    /// `PUT` of an object, with the dialect's precondition headers.
    public func put(_ key: String, data: Data, precondition: WritePrecondition) -> HTTPRequest {
        var request = request("PUT", key: key)
        request.body = data
        request.setHeader("Content-Type", "application/octet-stream")
        switch (precondition, configuration.dialect) {
        case (.none, _):
            break
        case (.ifNoneMatch, .s3):
            request.setHeader("If-None-Match", "*")
        case (.ifMatch(let etag), .s3):
            request.setHeader("If-Match", etag)
        case (.ifNoneMatch, .gcs):
            // Generation 0 means "no live object": create-only.
            request.setHeader("x-goog-if-generation-match", "0")
        case (.ifMatch(let generation), .gcs):
            request.setHeader("x-goog-if-generation-match", generation)
        }
        return request
    }

    /// A ListObjectsV2 page.
    public func list(prefix: String, continuationToken: String?, maxKeys: Int) -> HTTPRequest {
        var query: [(name: String, value: String)] = [
            ("list-type", "2"),
            ("max-keys", String(maxKeys)),
            ("prefix", keyPrefix + prefix),
        ]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        var request = bucketRequest("GET", encodedPath: "/")
        request.query = query
        return request
    }

    /// `PUT /bucket`: creates the bucket (used by tests and the local setup).
    public func createBucket() -> HTTPRequest {
        bucketRequest("PUT", encodedPath: "/")
    }

    private func request(_ method: String, key: String) -> HTTPRequest {
        bucketRequest(method, encodedPath: "/" + S3URIEncoding.encode(bucketKey(key), keepSlash: true))
    }

    /// Path-style puts the bucket in the path; virtual-hosted puts it in the host name.
    private func bucketRequest(_ method: String, encodedPath: String) -> HTTPRequest {
        let endpoint = configuration.endpoint
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        let defaultPort = scheme == "https" ? 443 : 80
        let port = endpoint.port.flatMap { $0 == defaultPort ? nil : $0 }
        let host = endpoint.host ?? ""
        switch configuration.addressing {
        case .path:
            let bucketPath = "/" + S3URIEncoding.encode(configuration.bucket, keepSlash: false)
            let path = encodedPath == "/" ? bucketPath : bucketPath + encodedPath
            return HTTPRequest(method: method, scheme: scheme, host: host, port: port, encodedPath: path)
        case .virtual:
            return HTTPRequest(
                method: method,
                scheme: scheme,
                host: configuration.bucket + "." + host,
                port: port,
                encodedPath: encodedPath
            )
        }
    }
}

/// The requests of S3 multipart upload and ranged reads, which move objects of any size in bounded memory.
extension S3RequestBuilder {
    /// `GET` of bytes `range` of an object, only while its ETag is still `etag` (a replaced object fails with 412
    /// instead of mixing two versions' bytes).
    public func get(_ key: String, range: Range<Int>, ifMatch etag: String) -> HTTPRequest {
        var request = get(key)
        request.setHeader("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")
        request.setHeader(configuration.dialect == .gcs ? "x-goog-if-generation-match" : "If-Match", etag)
        return request
    }

    /// `POST ?uploads`: CreateMultipartUpload. The GCS dialect sends its precondition here and on completion (which
    /// of the two GCS enforces is not verified against real GCS); S3 checks it on
    /// ``completeMultipartUpload(_:uploadId:parts:precondition:)``.
    public func createMultipartUpload(_ key: String, precondition: WritePrecondition) -> HTTPRequest {
        var request = put(key, data: Data(), precondition: configuration.dialect == .gcs ? precondition : .none)
        request.method = "POST"
        request.query = [("uploads", "")]
        return request
    }

    /// `PUT ?partNumber=&uploadId=`: UploadPart (numbers start at 1).
    public func uploadPart(_ key: String, uploadId: String, partNumber: Int, data: Data) -> HTTPRequest {
        var request = put(key, data: data, precondition: .none)
        request.query = [("partNumber", String(partNumber)), ("uploadId", uploadId)]
        return request
    }

    /// `POST ?uploadId=`: CompleteMultipartUpload, with the precondition (`If-None-Match: *` / `If-Match`, or GCS's
    /// generation match) so the object appears only if it still holds at the moment the object is assembled.
    public func completeMultipartUpload(
        _ key: String, uploadId: String, parts: [(number: Int, etag: String)], precondition: WritePrecondition
    ) -> HTTPRequest {
        var xml = "<CompleteMultipartUpload>"
        for part in parts {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(part.etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var request = put(key, data: Data(xml.utf8), precondition: precondition)
        request.method = "POST"
        request.setHeader("Content-Type", "application/xml")
        request.query = [("uploadId", uploadId)]
        return request
    }

    /// `DELETE ?uploadId=`: AbortMultipartUpload, which frees the parts already stored.
    public func abortMultipartUpload(_ key: String, uploadId: String) -> HTTPRequest {
        var request = delete(key)
        request.query = [("uploadId", uploadId)]
        return request
    }

    /// `GET /bucket?uploads&prefix=`: ListMultipartUploads (uploads begun and neither completed nor aborted).
    public func listMultipartUploads(prefix: String) -> HTTPRequest {
        var request = list(prefix: prefix, continuationToken: nil, maxKeys: 1000)
        request.query = [("prefix", bucketKey(prefix)), ("uploads", "")]
        return request
    }
}
