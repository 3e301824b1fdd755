/// What one compaction run of a prefix did.
public struct CompactionReport: Codable, Sendable, Hashable {
    /// Days whose small segments were merged into a new daily file.
    public var daysCompacted = 0
    /// Small segments (and earlier daily files) merged and deleted.
    public var segmentsMerged = 0
    /// Bytes written into daily files.
    public var bytesWritten = 0
    /// Intents left by a killed run that this run finished or undid.
    public var intentsResumed = 0
    /// Days left for the next run because a source changed or vanished while merging (an erasure rewrote it).
    public var daysDeferred = 0

    /// An empty report.
    public init() {}
}
