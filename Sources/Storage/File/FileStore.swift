import Crypto
import Foundation
import Offload

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An ``ObjectStore`` in a local folder: the embedded default, and what two emulators share on one machine.
///
/// - Every key is a plain file at its path under `root`, so a person can browse the store with `ls` and `cat`.
/// - Writes are atomic: the bytes go to a temporary file in the target's folder, are fsynced, renamed over the
///   target, and the folder is fsynced, so a reader (or a crash) sees the old object or the new one, never a part.
/// - ETags are the lowercase hex SHA-256 of the content (unquoted). Writing identical bytes keeps the ETag, as
///   S3's MD5 ETags do.
/// - Preconditions hold across processes: the check and the rename run under an advisory `flock` (see
///   ``FileLockSet``), which every process using a `FileStore` on the same folder honours.
/// - Internal files (`.rideease-locks/`, `.rideease-tmp-*`) never appear in listings; keys whose segments start
///   with `.rideease-` are refused.
///
/// Reads, renames and lock checks are done inline with blocking syscalls: each is short (a local open/read/rename
/// of a page-cached file), waiting for a lock never blocks a thread (see ``FileLockSet``), and a hop to another
/// thread would cost more than it saves. Writing and `fsync`ing do wait for the disk, for milliseconds, so they run
/// on `Offload.io`'s threads, never on the concurrency threads that serve requests.
public struct FileStore: ObjectStore {
    /// The folder holding the objects, as an absolute path without a trailing slash.
    public let rootPath: String
    let locks: FileLockSet

    /// Opens (and creates, if needed) a store in the folder `root`.
    public init(root: URL) throws(StorageError) {
        guard root.isFileURL else {
            throw .invalidLocation(root.absoluteString, reason: "a folder store needs a file URL")
        }
        var path = root.standardizedFileURL.path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard path.hasPrefix("/") else {
            throw .invalidLocation(path, reason: "the folder must be an absolute path")
        }
        self.rootPath = path
        self.locks = FileLockSet(root: path)
        try POSIXFile.makeDirectories(path, below: "")
        try locks.prepare()
    }

    /// The absolute path of the file that holds `key`.
    public func path(for key: String) throws(StorageError) -> String {
        try Self.validate(key)
        return rootPath + "/" + key
    }

    public func get(_ key: String) async throws -> StoredObject? {
        let path = try path(for: key)
        guard let data = try POSIXFile.readFile(path) else { return nil }
        return StoredObject(key: key, data: data, etag: Self.etag(of: data))
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        let path = try path(for: key)
        // The ETag is a content hash, so HEAD reads the file; objects on the request path are small.
        guard let data = try POSIXFile.readFile(path) else { return nil }
        return ObjectInfo(key: key, size: data.count, etag: Self.etag(of: data), lastModified: modificationDate(path))
    }

    @discardableResult
    public func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String {
        let path = try path(for: key)
        let directory = String(path[..<path.lastIndex(of: "/")!])
        // The slow part (hashing, writing and syncing the bytes) happens before taking the lock, off the
        // concurrency threads.
        let (etag, temporary) = try await Offload.io.run { [rootPath] () throws(StorageError) in
            try POSIXFile.makeDirectories(directory, below: rootPath)
            return (Self.etag(of: data), try Self.writeTemporaryFile(data, in: directory))
        }
        try await publish(temporary, key: key, path: path, directory: directory, precondition: precondition)
        return etag
    }

    /// Copies `file` into a temporary file beside the target in 1 MiB chunks, hashing as it goes, then publishes
    /// it like ``put(_:data:precondition:)``: memory stays bounded whatever the file's size.
    @discardableResult
    public func putFile(_ key: String, from file: URL, precondition: WritePrecondition) async throws -> String {
        let path = try path(for: key)
        let directory = String(path[..<path.lastIndex(of: "/")!])
        let source = file.path
        let (etag, temporary) = try await Offload.io.run { [rootPath] () throws(StorageError) in
            try POSIXFile.makeDirectories(directory, below: rootPath)
            return try Self.copyToTemporaryFile(source, in: directory)
        }
        try await publish(temporary, key: key, path: path, directory: directory, precondition: precondition)
        return etag
    }

    /// The object's file, memory-mapped in place (no copy, no hash: see ``ObjectStore/getLarge(_:)``).
    public func getLarge(_ key: String) async throws -> Data? {
        try MappedFile.map(try path(for: key))
    }

    /// Renames a fully written and synced temporary file over `path` if `precondition` holds, under the key's
    /// lock; the temporary file is removed if it is not published.
    private func publish(
        _ temporary: String, key: String, path: String, directory: String, precondition: WritePrecondition
    ) async throws {
        var renamed = false
        defer { if !renamed { _ = unlink(temporary) } }
        try await locks.withLock(for: key) { () throws(StorageError) in
            try check(precondition, key: key, path: path)
            if rename(temporary, path) != 0 {
                let code = errno
                if code == EISDIR || code == ENOTEMPTY || code == EEXIST {
                    throw .invalidKey(key, reason: "a folder of other objects already uses this name")
                }
                throw .io(path: path, operation: "rename", errno: code)
            }
            renamed = true
        }
        // Outside the lock: the rename is already visible; this only makes it survive a power cut.
        try await Offload.io.run { () throws(StorageError) in try POSIXFile.fsyncDirectory(directory) }
    }

    public func delete(_ key: String) async throws {
        let path = try path(for: key)
        // Under the lock so a delete never lands between another writer's check and its rename.
        let removed = try await locks.withLock(for: key) { () throws(StorageError) -> Bool in
            guard try POSIXFile.fileType(path) == S_IFREG else { return false }
            if unlink(path) != 0 && errno != ENOENT { throw .io(path: path, operation: "unlink", errno: errno) }
            return true
        }
        if removed {
            let directory = String(path[..<path.lastIndex(of: "/")!])
            try await Offload.io.run { () throws(StorageError) in try POSIXFile.fsyncDirectory(directory) }
        }
    }

    public func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing {
        try ObjectKey.validatePrefix(prefix)
        if let continuationToken { try ObjectKey.validate(continuationToken) }
        let walker = FileTreeWalker(root: rootPath, prefix: prefix, after: continuationToken)
        let keys = try walker.keys()
        let limit = max(1, min(maxKeys, 1000))
        let page = keys.prefix(limit)
        var objects: [ObjectInfo] = []
        objects.reserveCapacity(page.count)
        for key in page {
            // A key may vanish between the walk and the read (a concurrent delete): leave it out.
            if let info = try await head(key) { objects.append(info) }
        }
        let token = keys.count > limit ? page.last : nil
        return ObjectListing(objects: objects, continuationToken: token)
    }

    public func uri(for key: String) -> String {
        URL(fileURLWithPath: rootPath + "/" + key).absoluteString
    }

    /// Lowercase hex SHA-256 of `data`: the ETag a ``FileStore`` gives an object with these bytes.
    public static func etag(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    static func validate(_ key: String) throws(StorageError) {
        try ObjectKey.validate(key)
        for segment in key.split(separator: "/") where segment.hasPrefix(FileTreeWalker.reservedPrefix) {
            throw .invalidKey(key, reason: "segments starting with \"\(FileTreeWalker.reservedPrefix)\" are reserved")
        }
    }

    /// Compares ETags ignoring the quotes HTTP puts around them, so an S3-style `"…"` value matches too.
    static func sameETag(_ lhs: String, _ rhs: String) -> Bool {
        func bare(_ value: String) -> Substring {
            var text = Substring(value)
            if text.hasPrefix("W/") { text = text.dropFirst(2) }
            if text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
            return text
        }
        return bare(lhs) == bare(rhs)
    }

    private func check(_ precondition: WritePrecondition, key: String, path: String) throws(StorageError) {
        switch precondition {
        case .none:
            return
        case .ifNoneMatch:
            if try POSIXFile.fileType(path) != nil { throw .preconditionFailed(key: key) }
        case .ifMatch(let expected):
            guard let current = try POSIXFile.readFile(path), Self.sameETag(Self.etag(of: current), expected) else {
                throw .preconditionFailed(key: key)
            }
        }
    }

    private static func writeTemporaryFile(_ data: Data, in directory: String) throws(StorageError) -> String {
        try withTemporaryFile(in: directory) { fd, path throws(StorageError) in
            try POSIXFile.writeAll(fd, data, path: path)
        }
    }

    /// Streams `source` into a new temporary file; returns the content's ETag and the temporary file's path.
    private static func copyToTemporaryFile(
        _ source: String, in directory: String
    ) throws(StorageError) -> (String, String) {
        let input = POSIXFile.openFile(source, O_RDONLY)
        if input == -1 { throw .io(path: source, operation: "open", errno: errno) }
        defer { _ = close(input) }
        var hasher = SHA256()
        let path = try withTemporaryFile(in: directory) { output, path throws(StorageError) in
            var chunk = Data(count: 1 << 20)
            while true {
                let count = try POSIXFile.readChunk(input, into: &chunk, path: source)
                if count == 0 { break }
                let filled = chunk.prefix(count)
                hasher.update(data: filled)
                try POSIXFile.writeAll(output, filled, path: path)
            }
        }
        return (hex(hasher.finalize()), path)
    }

    /// Creates a temporary file in `directory`, lets `fill` write it, fsyncs it; removes it on any failure.
    private static func withTemporaryFile(
        in directory: String, _ fill: (Int32, String) throws(StorageError) -> Void
    ) throws(StorageError) -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let path = directory + "/" + FileTreeWalker.reservedPrefix + "tmp-" + suffix
        let fd = POSIXFile.openFile(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW)
        if fd == -1 { throw .io(path: path, operation: "create", errno: errno) }
        do {
            defer { _ = close(fd) }
            try fill(fd, path)
            try POSIXFile.syncFile(fd, path: path)
        } catch {
            _ = unlink(path)
            throw error
        }
        return path
    }

    private func modificationDate(_ path: String) -> Date? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }
}
