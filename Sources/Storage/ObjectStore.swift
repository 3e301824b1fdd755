import Foundation

/// A flat key → bytes store with conditional writes: the one interface all RideEase state goes through.
///
/// Keys are `/`-separated relative paths (`models/v0.1.0/metadata.json`); ``ObjectKey/validate(_:)`` says which
/// are allowed. Every mutable object is written with a ``WritePrecondition`` so that several processes sharing one
/// store never lose an update: a failed precondition throws ``StorageError/preconditionFailed(key:)``.
public protocol ObjectStore: Sendable {
    /// Reads an object, or returns `nil` when there is none under `key`.
    func get(_ key: String) async throws -> StoredObject?

    /// Reads an object's metadata without its body, or returns `nil` when there is none under `key`.
    func head(_ key: String) async throws -> ObjectInfo?

    /// Writes `data` under `key` if `precondition` holds, atomically: readers see the old object or the new one,
    /// never a part. Returns the new ETag.
    @discardableResult
    func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String

    /// Writes the local file at `file` under `key` if `precondition` holds, streaming it: the file is never read
    /// whole into memory, whatever its size (S3: multipart upload above ``S3Configuration/partSize``). Atomic and
    /// create-only exactly as ``put(_:data:precondition:)``. Returns the new ETag.
    @discardableResult
    func putFile(_ key: String, from file: URL, precondition: WritePrecondition) async throws -> String

    /// Reads an object of any size without a second in-memory copy, or returns `nil` when there is none: the bytes
    /// are memory-mapped (``FileStore``: the object's own file; ``S3Store``: a temporary file filled by ranged GETs,
    /// unlinked once mapped). No ETag: meant for immutable objects (model artifacts) that carry their own checksum.
    func getLarge(_ key: String) async throws -> Data?

    /// Removes an object; removing a missing object is not an error.
    func delete(_ key: String) async throws

    /// Lists keys that start with `prefix` in lexicographic (UTF-8 byte) order, one page at a time.
    /// Pass the previous page's ``ObjectListing/continuationToken`` to get the next page.
    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing

    /// The URI a user would use to find `key` outside RideEase (`file:///…`, `s3://bucket/…`, `gs://bucket/…`).
    func uri(for key: String) -> String
}

extension ObjectStore {
    /// Reads the whole file and writes it with ``put(_:data:precondition:)``: for stores holding small objects.
    @discardableResult
    public func putFile(_ key: String, from file: URL, precondition: WritePrecondition) async throws -> String {
        try await put(key, data: try Data(contentsOf: file), precondition: precondition)
    }

    /// ``get(_:)``'s bytes: for stores holding small objects.
    public func getLarge(_ key: String) async throws -> Data? {
        try await get(key)?.data
    }
}

/// The condition a write must meet to take effect.
public enum WritePrecondition: Sendable, Hashable {
    /// Write unconditionally (only for objects a single writer owns).
    case none
    /// Create only: fail if any object exists under the key (`If-None-Match: *`).
    case ifNoneMatch
    /// Compare-and-swap: fail unless the current object's ETag is exactly this one (`If-Match`).
    case ifMatch(String)
}

/// An object's bytes together with the ETag they were read at.
public struct StoredObject: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// The object's content.
    public var data: Data
    /// An opaque version tag; pass it to ``WritePrecondition/ifMatch(_:)`` to update this exact version.
    public var etag: String

    /// Creates a stored object value.
    public init(key: String, data: Data, etag: String) {
        self.key = key
        self.data = data
        self.etag = etag
    }
}

/// What is known about an object without reading it.
public struct ObjectInfo: Sendable, Hashable {
    /// The object's key.
    public var key: String
    /// Size in bytes.
    public var size: Int
    /// The object's current ETag.
    public var etag: String
    /// When the object was last written, as the backend reports it.
    public var lastModified: Date?

    /// Creates an object info value.
    public init(key: String, size: Int, etag: String, lastModified: Date?) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// One page of a listing.
public struct ObjectListing: Sendable, Hashable {
    /// The objects on this page, in key order.
    public var objects: [ObjectInfo]
    /// Pass this to the next ``ObjectStore/list(prefix:continuationToken:maxKeys:)`` call; `nil` on the last page.
    public var continuationToken: String?

    /// Creates a listing page.
    public init(objects: [ObjectInfo], continuationToken: String?) {
        self.objects = objects
        self.continuationToken = continuationToken
    }
}
