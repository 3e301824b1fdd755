import Foundation
import Logging

/// Append-only JSON Lines segments for events and traces, written with group commit.
///
/// Records are buffered and written together as a NEW object
/// `<prefix>/<yyyy>/<mm>/<dd>/<hh>/<writer>-<seq>.jsonl` (UTC hour of the flush) with a create-only precondition.
/// A writer owns the names carrying its random ``writerID``, so writers in many processes never contend.
///
/// A batch is written when the buffer holds ``Configuration/maxRecords`` records or ``Configuration/maxBytes``
/// bytes, when its oldest record is ``Configuration/flushInterval`` old, and on ``flush()``/``close()``. The
/// timing comes from ``run()``, which the owner runs in its own task (a `Service` in the app's service group);
/// the writer starts no tasks of its own.
///
/// Failure and loss, precisely: a failed flush keeps the records buffered and retries them on the next flush;
/// the buffer is bounded, and records arriving while it is full are dropped and counted in ``dropped``. A hard
/// kill loses what is buffered (at most `maxRecords`/`flushInterval` worth in normal operation). A write whose
/// outcome is unknown (the answer was lost after all of the store's retries) is retried under a new segment name,
/// so delivery is at-least-once: readers should tolerate a rare duplicate record.
public actor SegmentWriter {
    /// Batching and bounds.
    public struct Configuration: Sendable, Hashable {
        /// The key prefix segments go under (`events`, `traces`).
        public var prefix: String
        /// A batch is written when this many records are buffered.
        public var maxRecords: Int
        /// … or when the buffered records reach this many bytes (one segment holds at most about this much).
        public var maxBytes: Int
        /// … or when the oldest buffered record is this old.
        public var flushInterval: Duration
        /// Buffer bound in records; beyond it new records are dropped (the store is down for too long).
        public var maxBufferedRecords: Int
        /// Buffer bound in bytes.
        public var maxBufferedBytes: Int

        /// Creates a configuration; the defaults suit a busy instance (a segment every few seconds).
        public init(
            prefix: String,
            maxRecords: Int = 1000,
            maxBytes: Int = 4 << 20,
            flushInterval: Duration = .seconds(5),
            maxBufferedRecords: Int = 100_000,
            maxBufferedBytes: Int = 64 << 20
        ) {
            self.prefix = prefix
            self.maxRecords = maxRecords
            self.maxBytes = maxBytes
            self.flushInterval = flushInterval
            self.maxBufferedRecords = maxBufferedRecords
            self.maxBufferedBytes = maxBufferedBytes
        }
    }

    /// The writer's name in segment keys: random per process, so processes never write the same key.
    public nonisolated let writerID: String
    /// Batching and bounds.
    public nonisolated let configuration: Configuration
    private let store: any ObjectStore
    private let now: @Sendable () -> Date
    private let logger: Logger
    private let wake = WakeSignal()

    private var buffer: [Data] = []
    private var bufferedBytes = 0
    private var oldestBufferedAt: Date?
    private var sequence = 0
    private var isFlushing = false
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    private var isClosed = false

    /// Records accepted but not yet written.
    public private(set) var depth = 0
    /// Records refused because the buffer was full or the writer closed.
    public private(set) var dropped = 0
    /// Segments written so far.
    public private(set) var segmentsWritten = 0
    /// Records written so far.
    public private(set) var recordsWritten = 0

    /// Creates a writer.
    ///
    /// - Parameters:
    ///   - writerID: defaults to a random id; pass one only in tests.
    ///   - now: the clock for segment names and the age of buffered records.
    public init(
        store: any ObjectStore,
        configuration: Configuration,
        writerID: String = SegmentWriter.randomWriterID(),
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "rideease.storage.segments")
    ) throws(StorageError) {
        try ObjectKey.validate(configuration.prefix)
        try ObjectKey.validate(writerID)
        guard !writerID.contains("/") else { throw .invalidKey(writerID, reason: "a writer id must not contain \"/\"") }
        guard configuration.maxRecords >= 1, configuration.maxBytes >= 1,
            configuration.maxBufferedRecords >= configuration.maxRecords
        else {
            throw .invalidLocation(
                configuration.prefix,
                reason: "segment limits must be positive and the buffer "
                    + "must hold at least one batch")
        }
        self.store = store
        self.configuration = configuration
        self.writerID = writerID
        self.now = now
        self.logger = logger
    }

    /// 16 random hex digits.
    public static func randomWriterID() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Buffers one record (a single line of JSON, without the newline). Never waits for I/O.
    ///
    /// Returns `false` when the record was dropped (buffer full, or the writer is closed).
    @discardableResult
    public func append(_ record: Data) throws(StorageError) -> Bool {
        guard !record.contains(UInt8(ascii: "\n")) else {
            throw .invalidKey(configuration.prefix, reason: "a JSON Lines record must not contain a newline")
        }
        guard !isClosed, buffer.count < configuration.maxBufferedRecords,
            bufferedBytes + record.count + 1 <= configuration.maxBufferedBytes
        else {
            dropped += 1
            return false
        }
        if buffer.isEmpty { oldestBufferedAt = now() }
        buffer.append(record)
        bufferedBytes += record.count + 1
        depth = buffer.count
        if isBatchFull { wake.signal() }
        return true
    }

    /// Encodes `value` as one line of JSON and buffers it.
    @discardableResult
    public func append<T: Encodable & Sendable>(_ value: T, encoder: JSONEncoder = JSONEncoder()) throws -> Bool {
        try append(try encoder.encode(value))
    }

    /// Writes every record appended before this call; on return they are in the store (or this throws, and they
    /// stay buffered for the next flush).
    public func flush() async throws {
        while isFlushing {
            await withCheckedContinuation { flushWaiters.append($0) }
        }
        isFlushing = true
        defer {
            isFlushing = false
            let waiters = flushWaiters
            flushWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        while !buffer.isEmpty {
            try await writeOneBatch()
        }
    }

    /// Flushes if a batch is full or the oldest buffered record has waited ``Configuration/flushInterval``.
    public func flushIfDue() async throws {
        guard let oldest = oldestBufferedAt else { return }
        let interval = configuration.flushInterval
        let age = now().timeIntervalSince(oldest)
        let limit = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        if isBatchFull || age >= limit { try await flush() }
    }

    /// The periodic flush loop: returns when the calling task is cancelled, after a final flush.
    ///
    /// Wakes when a batch fills up, and otherwise every `flushInterval`; failures are logged and retried on the
    /// next wake-up (the records stay buffered).
    public func run() async {
        while !Task.isCancelled {
            await withTaskGroup(of: Void.self) { group in
                let wake = self.wake
                let interval = configuration.flushInterval
                group.addTask { try? await Task.sleep(for: interval) }
                group.addTask { await wake.wait() }
                await group.next()
                group.cancelAll()
            }
            do {
                try await flushIfDue()
            } catch {
                logger.warning(
                    "segment flush failed; records stay buffered",
                    metadata: ["prefix": "\(configuration.prefix)", "depth": "\(depth)", "error": "\(error)"]
                )
            }
        }
        try? await close()
    }

    /// Flushes and stops accepting records (later appends are dropped). Call on shutdown.
    public func close() async throws {
        isClosed = true
        try await flush()
    }

    private var isBatchFull: Bool {
        buffer.count >= configuration.maxRecords || bufferedBytes >= configuration.maxBytes
    }

    private func writeOneBatch() async throws {
        var count = 0
        var bytes = 0
        var body = Data()
        for record in buffer {
            if count > 0 && (count >= configuration.maxRecords || bytes + record.count + 1 > configuration.maxBytes) {
                break
            }
            body.append(record)
            body.append(UInt8(ascii: "\n"))
            bytes += record.count + 1
            count += 1
        }
        sequence += 1
        let key = segmentKey(sequence: sequence, date: now())
        do {
            try await store.put(key, data: body, precondition: .ifNoneMatch)
        } catch StorageError.preconditionFailed {
            // Only a lost answer to our own earlier attempt (or a reused writer id) can hold this name: the
            // next flush uses the next sequence number.
            logger.warning("segment name already taken; retrying under the next name", metadata: ["key": "\(key)"])
            throw StorageError.preconditionFailed(key: key)
        }
        // Only this (exclusive) flush removes records, and appends only add at the end, so the first `count`
        // records are exactly the ones just written.
        buffer.removeFirst(count)
        bufferedBytes -= bytes
        depth = buffer.count
        oldestBufferedAt = buffer.isEmpty ? nil : now()
        segmentsWritten += 1
        recordsWritten += count
    }

    /// `<prefix>/<yyyy>/<mm>/<dd>/<hh>/<writer>-<seq>.jsonl`; the zero-padded sequence keeps listing order equal
    /// to write order within an hour.
    func segmentKey(sequence: Int, date: Date) -> String {
        "\(configuration.prefix)/\(Self.hourFolder(of: date))/\(writerID)-\(Self.zeroPadded(sequence, width: 8)).jsonl"
    }

    /// `<yyyy>/<mm>/<dd>/<hh>` of `date`'s UTC hour: the folder layout of every time-partitioned object.
    public static func hourFolder(of date: Date) -> String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day, .hour], from: date)
        return [
            zeroPadded(parts.year ?? 0, width: 4), zeroPadded(parts.month ?? 0, width: 2),
            zeroPadded(parts.day ?? 0, width: 2), zeroPadded(parts.hour ?? 0, width: 2),
        ].joined(separator: "/")
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    public static func zeroPadded(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
