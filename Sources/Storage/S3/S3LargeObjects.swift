import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects of any size in bounded memory: multipart upload from a local file, ranged download into a mapped file.
///
/// Create-only multipart uploads are checked twice: a `HEAD` before uploading (so an existing object costs no
/// upload) and `If-None-Match: *` on CompleteMultipartUpload, which S3 (since 2024) and moto 5 apply atomically
/// when the object is assembled; the `HEAD` alone would leave a race between it and the completion. The GCS dialect
/// sends `x-goog-if-generation-match` on the initiating and the completing request; that GCS enforces it there is
/// not verified (no GCS test server), so on GCS the `HEAD` may be the only guard and two registrars racing for one
/// version could both complete. Any failure after the upload began aborts it, so no parts are left to be billed.
extension S3Store {
    @discardableResult
    public func putFile(_ key: String, from file: URL, precondition: WritePrecondition) async throws -> String {
        try ObjectKey.validate(key)
        let size = try Self.fileSize(file.path)
        guard size > configuration.partSize else {
            return try await put(key, data: try Data(contentsOf: file), precondition: precondition)
        }
        if case .ifNoneMatch = precondition, try await head(key) != nil {
            throw StorageError.preconditionFailed(key: key)
        }
        let created = try await send(builder.createMultipartUpload(key, precondition: precondition), key: key)
        guard created.status == 200 else { throw writeError(created, key: key, precondition: precondition) }
        let uploadId = try S3XML.parseUploadId(created.body)
        do {
            let parts = try await uploadParts(of: file.path, size: size, key: key, uploadId: uploadId)
            let request = builder.completeMultipartUpload(
                key, uploadId: uploadId, parts: parts, precondition: precondition)
            let completed = try await send(request, key: key)
            // S3 may answer 200 and still report an error in the body.
            guard completed.status == 200, S3XML.rootName(completed.body) != "Error" else {
                throw writeError(completed, key: key, precondition: precondition)
            }
            if let etag = completed.headers["etag"] ?? completed.headers["x-goog-generation"] { return etag }
            return try await head(key)?.etag ?? ""
        } catch {
            await abortMultipartUpload(key, uploadId: uploadId)
            throw error
        }
    }

    public func getLarge(_ key: String) async throws -> Data? {
        guard let info = try await head(key) else { return nil }
        guard info.size > configuration.partSize else { return try await get(key)?.data }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            ".rideease-download-\(UUID().uuidString)"
        ).path
        let fd = POSIXFile.openFile(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
        if fd == -1 { throw StorageError.io(path: path, operation: "create", errno: errno) }
        // Unlinked at once: the mapping (or the open descriptor) keeps the bytes until released, and nothing is
        // left behind if the process dies.
        defer {
            _ = close(fd)
            _ = unlink(path)
        }
        var offset = 0
        while offset < info.size {
            let range = offset..<min(info.size, offset + configuration.partSize)
            let response = try await send(builder.get(key, range: range, ifMatch: info.etag), key: key)
            switch response.status {
            case 200, 206:
                guard response.body.count == range.count else {
                    throw StorageError.malformedResponse("a ranged read of \"\(key)\" returned the wrong length")
                }
                try POSIXFile.writeAll(fd, response.body, path: path)
            case 412:
                // Replaced while it was being read: never mix two versions' bytes.
                throw StorageError.preconditionFailed(key: key)
            default:
                throw backendError(response, key: key)
            }
            offset = range.upperBound
        }
        return try MappedFile.map(path)
    }

    /// Keys and upload ids of multipart uploads under `prefix` that were begun and neither completed nor aborted
    /// (what a bucket lifecycle rule would clean up; tests check that none are left).
    public func pendingMultipartUploads(prefix: String) async throws -> [(key: String, uploadId: String)] {
        try ObjectKey.validatePrefix(prefix)
        let response = try await send(builder.listMultipartUploads(prefix: prefix))
        guard response.status == 200 else { throw backendError(response, key: nil) }
        return try S3XML.parseUploads(response.body).compactMap { upload in
            builder.userKey(upload.key).map { ($0, upload.uploadId) }
        }
    }

    /// Reads the file one part at a time (only one part is in memory) and uploads each.
    private func uploadParts(
        of path: String, size: Int, key: String, uploadId: String
    ) async throws -> [(number: Int, etag: String)] {
        let fd = POSIXFile.openFile(path, O_RDONLY)
        if fd == -1 { throw StorageError.io(path: path, operation: "open", errno: errno) }
        defer { _ = close(fd) }
        var parts: [(number: Int, etag: String)] = []
        var offset = 0
        while offset < size {
            try Task.checkCancellation()
            let chunk = try POSIXFile.readExactly(fd, count: min(configuration.partSize, size - offset), path: path)
            let number = parts.count + 1
            let request = builder.uploadPart(key, uploadId: uploadId, partNumber: number, data: chunk)
            let response = try await send(request, key: key)
            guard response.status == 200 else { throw backendError(response, key: key) }
            guard let etag = response.headers["etag"], !etag.isEmpty else {
                throw StorageError.malformedResponse("UploadPart \(number) of \"\(key)\" returned no ETag")
            }
            parts.append((number, etag))
            offset += chunk.count
        }
        return parts
    }

    /// Best effort: a failed abort is logged, and the original error is what the caller sees.
    private func abortMultipartUpload(_ key: String, uploadId: String) async {
        do {
            let response = try await send(builder.abortMultipartUpload(key, uploadId: uploadId), key: key)
            if ![200, 204, 404].contains(response.status) { throw backendError(response, key: key) }
        } catch {
            logger.warning(
                "multipart upload not aborted; a bucket lifecycle rule must remove its parts",
                metadata: ["key": "\(key)", "uploadId": "\(uploadId)", "error": "\(error)"]
            )
        }
    }

    private func writeError(_ response: HTTPResponse, key: String, precondition: WritePrecondition) -> StorageError {
        if response.status == 412 { return .preconditionFailed(key: key) }
        let code = S3XML.parseError(response.body)?.code
        if code == "PreconditionFailed" || (response.status == 409 && code == "ConditionalRequestConflict") {
            return .preconditionFailed(key: key)
        }
        if response.status == 404, case .ifMatch = precondition, code == "NoSuchKey" {
            return .preconditionFailed(key: key)
        }
        return backendError(response, key: key)
    }

    private static func fileSize(_ path: String) throws(StorageError) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .io(path: path, operation: "stat", errno: errno) }
        return Int(info.st_size)
    }
}
