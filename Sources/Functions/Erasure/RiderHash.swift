import Crypto
import Foundation
import Logging
import Storage

/// The keyed hash that stands for a rider in erasure records and audit trails, so that none of them holds the id.
///
/// HMAC-SHA256 of the id's UTF-8 bytes, first 32 hex digits (128 bits). An unkeyed hash would not do: anyone with a
/// candidate id could recompute it and learn that this person asked to be forgotten. The key is the secret
/// ``secretName`` when set, else a random key created once in the store (see ``resolve(secret:store:logger:)``).
public struct RiderHash: Sendable {
    /// The secret holding the key in production (or `RIDEEASE_RIDER_HASH_KEY_FILE`).
    public static let secretName = "RIDEEASE_RIDER_HASH_KEY"
    /// Where the generated key lives when the secret is not set.
    public static let generatedKeyKey = "keys/rider-hash.key"

    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per use).
    private let keyBytes: Data

    /// A hash keyed with `key`'s bytes.
    public init(key: Data) {
        keyBytes = key
    }

    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// The keyed hash of `userId`: 32 lowercase hex digits.
    public func hash(_ userId: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(userId.utf8), using: key)
        return mac.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The hash keyed with `secret` when it is set; otherwise with the store's generated key, created on first use
    /// (create-only, so processes racing to create it all end up with the winner's) and logged as a warning: a
    /// key that lives beside the data protects less than one kept in a secret manager.
    public static func resolve(secret: String?, store: any ObjectStore, logger: Logger) async throws -> RiderHash {
        if let secret, !secret.isEmpty { return RiderHash(key: Data(secret.utf8)) }
        logger.warning(
            "rider hashes are keyed with a key stored beside the data; set the secret in production",
            metadata: ["secret": "\(secretName)", "key": "\(generatedKeyKey)"])
        for _ in 0..<3 {
            if let existing = try await store.get(generatedKeyKey) {
                return RiderHash(key: existing.data)
            }
            var generator = SystemRandomNumberGenerator()
            let bytes = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
            do {
                try await store.put(generatedKeyKey, data: bytes, precondition: .ifNoneMatch)
                return RiderHash(key: bytes)
            } catch StorageError.preconditionFailed {
                continue  // Another process created it first: read theirs.
            }
        }
        throw StorageError.preconditionFailed(key: generatedKeyKey)
    }
}
