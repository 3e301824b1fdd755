import Foundation

/// Why a version exists that is an older version with one rider removed: `lineage.erasure` of its metadata.
public struct ErasureLineage: Codable, Sendable, Hashable {
    /// The version it was patched from (now retired).
    public var parent: ModelVersion
    /// The erasure that caused it (a keyed hash of the rider, never the id).
    public var erasure: String
    /// Why, for people reading the metadata (`rider erasure`).
    public var reason: String

    /// Creates an erasure lineage record.
    public init(parent: ModelVersion, erasure: String, reason: String) {
        self.parent = parent
        self.erasure = erasure
        self.reason = reason
    }
}

/// `models/<version>/retired.json`: the version's artifact was deleted (it held a rider who asked to be erased)
/// and another version serves in its place. The metadata stays, so the history of versions stays readable.
public struct ModelRetirement: Codable, Sendable, Hashable {
    /// The version to use instead.
    public var supersededBy: ModelVersion
    /// Why (`rider erasure`).
    public var reason: String
    /// The erasure that retired it (a keyed hash of the rider, never the id).
    public var erasure: String
    /// When.
    public var retiredAt: Date

    /// Creates a retirement record.
    public init(supersededBy: ModelVersion, reason: String, erasure: String, retiredAt: Date) {
        self.supersededBy = supersededBy
        self.reason = reason
        self.erasure = erasure
        self.retiredAt = retiredAt
    }

    /// The reason recorded by rider erasures.
    public static let riderErasure = "rider erasure"

    /// The retirement record key of `version`.
    public static func key(for version: ModelVersion) -> String { "models/\(version)/retired.json" }
}
