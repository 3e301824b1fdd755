import Foundation
import Storage
import Synchronization
import TestRequirements
import Testing

/// Objects larger than a part stream both ways: S3 multipart upload against the real moto server (aborted on any
/// failure, leaving neither an object nor an open upload), ranged downloads, and the folder store's streamed copy.
@Suite("Large objects")
struct LargeObjectTests {
    static let partSize = S3Configuration.minimumPartSize
    /// Three parts: 5 MiB, 5 MiB and a short last one.
    static let size = 12 * 1024 * 1024 + 12_345

    @Test("a 12 MiB file round-trips through multipart upload and ranged download", .requires(.moto))
    func multipartRoundTrip() async throws {
        let server = try await SharedMoto.shared.get()
        let recorder = FaultyTransport()
        let store = try await server.makeStore(keyPrefix: "large", partSize: Self.partSize, transport: recorder)
        let data = pseudoRandomData(count: Self.size, seed: 11)
        let file = try temporaryFile(data)
        defer { try? FileManager.default.removeItem(at: file) }

        let etag = try await store.putFile("models/v1/model.bin", from: file, precondition: .ifNoneMatch)
        #expect(!etag.isEmpty)
        #expect(recorder.sent.filter { $0.contains("partNumber=") }.count == 3)
        #expect(recorder.sent.contains { $0.hasPrefix("POST") && $0.contains("uploadId=") })
        #expect(try await store.get("models/v1/model.bin")?.data == data)
        #expect(try await store.getLarge("models/v1/model.bin") == data)
        #expect(recorder.sent.filter { $0.hasPrefix("GET") && $0.contains("range=") }.count == 3)
        #expect(try await store.pendingMultipartUploads(prefix: "").isEmpty)
        #expect(try await store.getLarge("models/v9/model.bin") == nil)

        // Create-only: an existing object is refused before anything is uploaded.
        await #expect(throws: StorageError.preconditionFailed(key: "models/v1/model.bin")) {
            try await store.putFile("models/v1/model.bin", from: file, precondition: .ifNoneMatch)
        }
    }

    @Test("a part that fails aborts the upload: no object, no open upload", .requires(.moto))
    func failingPartAborts() async throws {
        let server = try await SharedMoto.shared.get()
        let transport = FaultyTransport(failPart: 2)
        let store = try await server.makeStore(keyPrefix: "abort", partSize: Self.partSize, transport: transport)
        let file = try temporaryFile(pseudoRandomData(count: Self.size, seed: 12))
        defer { try? FileManager.default.removeItem(at: file) }

        await #expect(throws: StorageError.self) {
            try await store.putFile("models/v1/model.bin", from: file, precondition: .ifNoneMatch)
        }
        #expect(transport.sent.contains { $0.hasPrefix("DELETE") && $0.contains("uploadId=") })
        #expect(try await store.head("models/v1/model.bin") == nil)
        #expect(try await store.pendingMultipartUploads(prefix: "").isEmpty)
    }

    @Test(
        "an object created during the upload fails the completion (If-None-Match), which aborts", .requires(.moto))
    func raceLostAtCompletion() async throws {
        let server = try await SharedMoto.shared.get()
        // Hides the existing object from the early HEAD check: the race the completion's precondition closes.
        let transport = FaultyTransport(hideHeads: true)
        let store = try await server.makeStore(keyPrefix: "race", partSize: Self.partSize, transport: transport)
        try await store.put("models/v1/model.bin", data: Data("first".utf8), precondition: .ifNoneMatch)
        let file = try temporaryFile(pseudoRandomData(count: Self.size, seed: 13))
        defer { try? FileManager.default.removeItem(at: file) }

        await #expect(throws: StorageError.preconditionFailed(key: "models/v1/model.bin")) {
            try await store.putFile("models/v1/model.bin", from: file, precondition: .ifNoneMatch)
        }
        #expect(transport.sent.filter { $0.contains("partNumber=") }.count == 3)
        #expect(try await store.get("models/v1/model.bin")?.data == Data("first".utf8))
        #expect(try await store.pendingMultipartUploads(prefix: "").isEmpty)
    }

    @Test("small files take a single PUT on S3", arguments: Backend.testable)
    func smallFiles(backend: Backend) async throws {
        try await withStore(backend) { store in
            let data = pseudoRandomData(count: 70_000, seed: 14)
            let file = try temporaryFile(data)
            defer { try? FileManager.default.removeItem(at: file) }
            let etag = try await store.putFile("blobs/one", from: file, precondition: .ifNoneMatch)
            #expect(try await store.get("blobs/one")?.etag == etag)
            #expect(try await store.getLarge("blobs/one") == data)
            #expect(try await store.getLarge("blobs/none") == nil)
            await #expect(throws: StorageError.preconditionFailed(key: "blobs/one")) {
                try await store.putFile("blobs/one", from: file, precondition: .ifNoneMatch)
            }
        }
    }

    @Test("the folder store streams a large file in, maps it out, and leaves no temporary file")
    func fileStoreLargeFile() async throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        let data = pseudoRandomData(count: Self.size, seed: 15)
        let file = try temporaryFile(data)
        defer { try? FileManager.default.removeItem(at: file) }
        let etag = try await store.putFile("models/v1/model.bin", from: file, precondition: .ifNoneMatch)
        #expect(etag == FileStore.etag(of: data))
        #expect(try await store.getLarge("models/v1/model.bin") == data)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("models/v1").path)
        #expect(names == ["model.bin"])
        await #expect(throws: StorageError.preconditionFailed(key: "models/v1/model.bin")) {
            try await store.putFile("models/v1/model.bin", from: file, precondition: .ifNoneMatch)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("models/v1").path)
                == ["model.bin"])
    }

    private func temporaryFile(_ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-large-\(UUID().uuidString)")
        try data.write(to: url)
        return url
    }
}

/// Sends through a real ``URLSessionTransport``, records `METHOD query` of every request, and injects faults:
/// a failing UploadPart, or HEADs answered 404.
final class FaultyTransport: HTTPTransport {
    private let inner = URLSessionTransport()
    private let failPart: Int?
    private let hideHeads: Bool
    private let log = Mutex<[String]>([])

    init(failPart: Int? = nil, hideHeads: Bool = false) {
        self.failPart = failPart
        self.hideHeads = hideHeads
    }

    var sent: [String] { log.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        let query = request.encodedQuery
        let range = request.header("Range") != nil ? "&range=" : ""
        log.withLock { $0.append("\(request.method) \(query)\(range)") }
        if let failPart, request.method == "PUT", query.contains("partNumber=\(failPart)&") {
            let body = "<Error><Code>InvalidPart</Code><Message>injected failure</Message></Error>"
            return HTTPResponse(status: 400, headers: [:], body: Data(body.utf8))
        }
        if hideHeads, request.method == "HEAD" {
            return HTTPResponse(status: 404, headers: [:], body: Data())
        }
        return try await inner.send(request, timeout: timeout)
    }
}
