import Foundation
import Storage
import Testing

/// What is particular to the folder backend: the files a person sees, and what never leaves the root.
@Suite("FileStore specifics")
struct FileStoreTests {
    @Test("objects are plain files at their key's path; internal files stay hidden")
    func layoutIsBrowsable() async throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        let etag = try await store.put("models/v1/metadata.json", data: Data("{}".utf8), precondition: .ifNoneMatch)
        let path = folder.appendingPathComponent("models/v1/metadata.json").path
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}")
        #expect(etag == FileStore.etag(of: Data("{}".utf8)))
        #expect(etag == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        #expect(store.uri(for: "models/v1/metadata.json") == URL(fileURLWithPath: path).absoluteString)
        // Only the object and the lock folder: no temporary files left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("models/v1").path)
        #expect(names == ["metadata.json"])
        let page = try await store.list(prefix: "", continuationToken: nil, maxKeys: 100)
        #expect(page.objects.map(\.key) == ["models/v1/metadata.json"])
    }

    @Test("a crashed writer's leftover temporary file is never visible")
    func leftoverTemporaryFilesAreInvisible() async throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        try await store.put("a/obj", data: Data("whole".utf8), precondition: .none)
        // What a process killed between write() and rename() leaves: a partial temporary file.
        try Data("who".utf8).write(to: folder.appendingPathComponent("a/.rideease-tmp-deadbeef"))
        #expect(try await store.list(prefix: "a/", continuationToken: nil, maxKeys: 10).objects.map(\.key) == ["a/obj"])
        #expect(try await store.get("a/obj")?.data == Data("whole".utf8))
        await expectInvalidKey { _ = try await store.get("a/.rideease-tmp-deadbeef") }
        await expectInvalidKey { try await store.put(".rideease-locks/00", data: Data(), precondition: .none) }
    }

    @Test("symlinks never lead outside the root")
    func symlinksAreNotFollowed() async throws {
        let folder = try makeTemporaryFolder()
        let outside = try makeTemporaryFolder("outside")
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: outside)
        }
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        let store = try FileStore(root: folder)
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("link.txt"),
            withDestinationURL: outside.appendingPathComponent("secret.txt")
        )
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("linkdir"), withDestinationURL: outside)
        #expect(try await store.get("link.txt") == nil)
        #expect(try await store.list(prefix: "", continuationToken: nil, maxKeys: 10).objects.isEmpty)
        await #expect(throws: StorageError.self) {
            try await store.put("linkdir/new.txt", data: Data("x".utf8), precondition: .none)
        }
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("new.txt").path))
    }

    @Test("a key that needs a folder where an object is gives a clear error")
    func fileFolderConflict() async throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        try await store.put("a", data: Data("x".utf8), precondition: .none)
        await #expect(throws: StorageError.self) { try await store.put("a/b", data: Data(), precondition: .none) }
        try await store.put("dir/child", data: Data(), precondition: .none)
        await expectInvalidKey { try await store.put("dir", data: Data(), precondition: .none) }
        #expect(try await store.get("dir") == nil)
    }

    @Test("If-Match accepts the ETag with or without HTTP quotes")
    func quotedETags() async throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FileStore(root: folder)
        let etag = try await store.put("k", data: Data("1".utf8), precondition: .none)
        try await store.put(
            "k", data: Data("2".utf8), precondition: .ifMatch("\"\(FileStore.etag(of: Data("1".utf8)))\""))
        await expectPreconditionFailed("k") {
            try await store.put("k", data: Data("3".utf8), precondition: .ifMatch(etag))
        }
    }

    @Test("a relative or non-file root is refused")
    func badRoots() {
        #expect(throws: StorageError.self) { try FileStore(root: URL(string: "https://example.com/x")!) }
    }
}
