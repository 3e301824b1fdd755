import Foundation

/// What a compaction of one day is about to do, written before it writes anything, so that a run killed at any
/// point is finished or undone by the next one.
///
/// Stored at `compaction/<prefix>/<yyyy>/<mm>/<dd>.json` (create-only). While ``phase`` is ``Phase/writing`` the
/// sources are all still there and nothing is final: a resumed run keeps the output only if the output and its
/// index both exist and every source is unchanged, and otherwise deletes the output. Once the intent is switched
/// (compare-and-swap) to ``Phase/deleting``, the output is final and the sources are deleted — a missing source
/// then means it was already deleted by this intent.
public struct CompactionIntent: Codable, Sendable, Hashable {
    /// How far the compaction got.
    public enum Phase: String, Codable, Sendable, Hashable {
        /// The daily file and index may be partly written; sources all present.
        case writing
        /// Daily file and index complete and checked; sources being deleted.
        case deleting
    }

    /// One object being merged.
    public struct Source: Codable, Sendable, Hashable {
        /// Its key.
        public var key: String
        /// Its ETag when listed: it is deleted only if still this one.
        public var etag: String
    }

    /// `events`, `traces`.
    public var prefix: String
    /// `<yyyy>/<mm>/<dd>`.
    public var day: String
    /// The generation of the daily file being written.
    public var generation: Int
    /// The objects merged (the previous daily file first, if any), deleted once the output is final.
    public var sources: [Source]
    /// Objects made obsolete by the output but not merged (the previous daily file's index), deleted last.
    public var obsolete: [String]
    /// How far it got.
    public var phase: Phase

    /// The daily file being written.
    public var outputKey: String { SegmentKey.dailyKey(prefix: prefix, day: day, generation: generation) }
    /// Its index.
    public var indexKey: String { SegmentKey.indexKey(prefix: prefix, day: day, generation: generation) }

    /// Where the intent of `day`'s compaction under `prefix` is stored.
    public static func key(prefix: String, day: String) -> String { "\(folder)\(prefix)/\(day).json" }

    /// The folder of every intent.
    public static let folder = "compaction/"

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
