import Crypto
import Foundation
import Storage

/// Stores place catalogs beside the events: every version as `places/<version>.jsonl`, written create-only, and
/// `places/current.json` naming the one in use, swapped with compare-and-swap so two imports never interleave.
///
/// Versions are immutable, so a serving instance that loaded one never sees it change, and a bad import is undone
/// by pointing `current.json` back at an earlier version.
public struct PlaceCatalogStore: Sendable {
    /// The pointer's key.
    public static let currentKey = "places/current.json"

    /// What `places/current.json` holds.
    public struct Pointer: Codable, Sendable, Equatable {
        /// The version in use.
        public var version: String
        /// Its key.
        public var key: String
        /// How many places it holds.
        public var places: Int
        /// When it was imported.
        public var createdAt: Date
    }

    let store: any ObjectStore

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Creates a catalog store over `store`.
    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The pointer and its ETag, or `nil` when no catalog was ever imported.
    public func pointer() async throws -> (Pointer, etag: String)? {
        guard let object = try await store.get(Self.currentKey) else { return nil }
        return (try Self.decoder.decode(Pointer.self, from: object.data), object.etag)
    }

    /// The catalog in use, or `nil` when there is none.
    public func current() async throws -> PlaceCatalog? {
        guard let (pointer, _) = try await pointer() else { return nil }
        return try await load(pointer)
    }

    /// The catalog a pointer names.
    public func load(_ pointer: Pointer) async throws -> PlaceCatalog {
        guard let object = try await store.get(pointer.key) else {
            throw PlaceCatalogError("place catalog \(pointer.key) named by \(Self.currentKey) is missing")
        }
        return try PlaceCatalog.decode(version: pointer.version, jsonLines: object.data)
    }

    /// Stores `places` as a new version and makes it current; returns the pointer.
    ///
    /// With `replacing`, the pointer is swapped only if its ETag is still that one (else
    /// ``StorageError/preconditionFailed(key:)``): for edits derived from the current catalog (an erasure), which
    /// must not undo an import that landed meanwhile.
    @discardableResult
    public func publish(_ places: [CatalogPlace], now: Date = Date(), replacing: String? = nil) async throws -> Pointer
    {
        let body = try PlaceCatalog(version: "", places: places).jsonLines()
        let hash = SHA256.hash(data: body).prefix(4).map { String(format: "%02x", $0) }.joined()
        let stamp = ISO8601DateFormatter().string(from: now).filter { $0.isNumber || $0 == "T" }
        let version = "\(stamp)Z-\(hash)"
        let key = "places/\(version).jsonl"
        do {
            try await store.put(key, data: body, precondition: .ifNoneMatch)
        } catch StorageError.preconditionFailed {
            // The same content in the same second: that version already exists, which is what we want.
        }
        let pointer = Pointer(version: version, key: key, places: places.count, createdAt: now)
        let data = try Self.encoder.encode(pointer)
        // Compare-and-swap: retried on a concurrent import, so the pointer ends at one whole version.
        if let replacing {
            try await store.put(Self.currentKey, data: data, precondition: .ifMatch(replacing))
            return pointer
        }
        for _ in 0..<5 {
            let etag = try await self.pointer()?.etag
            do {
                try await store.put(
                    Self.currentKey, data: data, precondition: etag.map { .ifMatch($0) } ?? .ifNoneMatch)
                return pointer
            } catch StorageError.preconditionFailed {
                continue
            }
        }
        throw PlaceCatalogError("\(Self.currentKey) kept changing during the import; try again")
    }
}

/// A place catalog that cannot be imported or read.
public struct PlaceCatalogError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, with line numbers for file problems.
    public var description: String

    init(_ description: String) { self.description = description }
}
