import Crypto
import Foundation

/// The admin API key, compared in constant time.
///
/// Both sides are hashed with SHA-256 first, so the comparison takes the same time whatever the presented
/// key's length or content, and the key itself is never kept in a form that could be logged by accident.
public struct AdminKey: Sendable, CustomStringConvertible {
    /// SHA-256 of the key; also the root of derived secrets (console sessions), never the key itself.
    let digest: [UInt8]

    /// Wraps the configured key.
    public init(_ key: String) {
        digest = Array(SHA256.hash(data: Data(key.utf8)))
    }

    /// Whether `presented` equals the configured key.
    public func matches(_ presented: String) -> Bool {
        let other = Array(SHA256.hash(data: Data(presented.utf8)))
        var difference: UInt8 = 0
        for (left, right) in zip(digest, other) {
            difference |= left ^ right
        }
        return difference == 0
    }

    /// Never the key.
    public var description: String { "AdminKey(redacted)" }
}
