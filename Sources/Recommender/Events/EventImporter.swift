import Foundation
import Storage

/// `rideease events import`: streams a file into event segments, skipping events the store already holds.
///
/// Memory is one read chunk, one batch of encoded events (``batchSize``) and the set of known ids (``EventIdSet``,
/// about 40 bytes per event): a 10M-row file is never held whole. Ids are content hashes, so importing the same
/// file twice reports every row of the second run as a duplicate and writes nothing.
public struct EventImporter: Sendable {
    /// What an import did.
    public struct Summary: Sendable, Equatable {
        /// Rows read (valid or not).
        public var rows = 0
        /// Events written.
        public var imported = 0
        /// Valid events already in the store or earlier in the file.
        public var duplicates = 0
        /// Refused rows by reason.
        public var rejections = RejectionTally()
        /// The detected format.
        public var format: EventFileReader.Format?
        /// Whether the file was gzip-compressed.
        public var compressed = false

        /// `{"imported":N,"duplicates":D,"rejected":R}`.
        public var json: String {
            #"{"imported":\#(imported),"duplicates":\#(duplicates),"rejected":\#(rejections.total)}"#
        }
    }

    /// Events per written segment.
    public var batchSize: Int
    /// How numeric timestamps are read.
    public var timestamps: EventTimestampReader

    /// Creates an importer.
    public init(timestamps: EventTimestampReader = .init(), batchSize: Int = 50_000) {
        self.timestamps = timestamps
        self.batchSize = batchSize
    }

    /// Imports `path` into `store`; `progress` is called with the rows read so far every ``progressEvery`` rows.
    public func run(
        path: String, into store: any ObjectStore, now: Date = Date(),
        progress: (Int) -> Void = { _ in }
    ) async throws -> Summary {
        var reader = try EventFileReader(path: path, timestamps: timestamps, now: now)
        var known = try await EventIdSet.stored(in: store)
        var summary = Summary(format: reader.format, compressed: reader.isCompressed)
        let writer = try SegmentWriter(
            store: store,
            configuration: .init(
                prefix: "events", maxRecords: batchSize, maxBytes: 64 << 20, flushInterval: .seconds(3600),
                maxBufferedRecords: batchSize * 2, maxBufferedBytes: 256 << 20)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var buffered = 0
        while let row = try reader.next() {
            summary.rows += 1
            if summary.rows % Self.progressEvery == 0 { progress(summary.rows) }
            switch row {
            case .rejected(let reason, let line):
                summary.rejections.add(reason, line: line)
            case .event(let event, _):
                guard known.insert(event.eventId) else {
                    summary.duplicates += 1
                    continue
                }
                guard try writer.append(event, encoder: encoder) else {
                    throw EventImportError("the segment buffer refused an event")
                }
                buffered += 1
                summary.imported += 1
                if buffered >= batchSize {
                    try await writer.flush()
                    buffered = 0
                }
            }
        }
        try await writer.close()
        if summary.rows % Self.progressEvery != 0 { progress(summary.rows) }
        return summary
    }

    /// Rows between progress calls.
    public static let progressEvery = 100_000
}
