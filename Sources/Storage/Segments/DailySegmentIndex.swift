import Foundation

/// Where each small segment merged into a daily file now lies, so that a reader holding the segment's key and
/// ETag (a snapshot manifest) still reads exactly its bytes after compaction deleted it.
///
/// Stored as `<prefix>/<yyyy>/<mm>/<dd>/daily-<gen>.index.json` beside its daily file. It holds no record, only keys,
/// ETags and byte ranges. A later generation carries over the entries of the one it absorbed (and an entry for that
/// daily file itself), so the latest index of a day answers for every segment ever merged into that day.
public struct DailySegmentIndex: Codable, Sendable, Hashable {
    /// One merged object and its place in the daily file.
    public struct Entry: Codable, Sendable, Hashable {
        /// The merged object's key (a small segment, or an earlier daily file).
        public var key: String
        /// Its ETag when merged.
        public var etag: String
        /// Where its bytes start in the daily file.
        public var offset: Int
        /// How many bytes it had.
        public var length: Int

        /// Creates an entry.
        public init(key: String, etag: String, offset: Int, length: Int) {
            self.key = key
            self.etag = etag
            self.offset = offset
            self.length = length
        }
    }

    /// The daily file's key.
    public var dailyKey: String
    /// The daily file's ETag when written: a reader checks it before trusting the offsets (an erasure that rewrote
    /// the daily file invalidates them).
    public var dailyEtag: String
    /// The daily file's size in bytes.
    public var dailySize: Int
    /// The daily file's generation.
    public var generation: Int
    /// Every merged object, in the order of its bytes.
    public var entries: [Entry]

    /// Creates an index.
    public init(dailyKey: String, dailyEtag: String, dailySize: Int, generation: Int, entries: [Entry]) {
        self.dailyKey = dailyKey
        self.dailyEtag = dailyEtag
        self.dailySize = dailySize
        self.generation = generation
        self.entries = entries
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
