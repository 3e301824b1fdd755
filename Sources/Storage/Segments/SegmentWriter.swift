import Foundation
import Logging
import Synchronization

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

    /// The buffer lives behind a lock rather than in the actor, so that ``append(_:)`` is synchronous: on the
    /// request path it is a lock, not two hops onto and off the actor's executor.
    private let buffer = Mutex(Buffer())
    private var sequence = 0
    private var isFlushing = false
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []

    private struct Buffer {
        var records: [Data] = []
        var bytes = 0
        var oldestAt: Date?
        var isClosed = false
        var dropped = 0
    }

    /// Records accepted but not yet written.
    public var depth: Int { buffer.withLock { $0.records.count } }
    /// Records refused because the buffer was full or the writer closed.
    public var dropped: Int { buffer.withLock { $0.dropped } }
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
    public nonisolated func append(_ record: Data) throws(StorageError) -> Bool {
        // memchr, not `Data.contains`: this runs on every traced request and Data's iterator goes byte by byte.
        let hasNewline = record.withUnsafeBytes { raw in
            raw.baseAddress.map { memchr($0, Int32(UInt8(ascii: "\n")), raw.count) != nil } ?? false
        }
        guard !hasNewline else {
            throw .invalidKey(configuration.prefix, reason: "a JSON Lines record must not contain a newline")
        }
        let configuration = configuration
        let (accepted, full) = buffer.withLock { buffer -> (Bool, Bool) in
            guard !buffer.isClosed, buffer.records.count < configuration.maxBufferedRecords,
                buffer.bytes + record.count + 1 <= configuration.maxBufferedBytes
            else {
                buffer.dropped += 1
                return (false, false)
            }
            if buffer.records.isEmpty { buffer.oldestAt = now() }
            buffer.records.append(record)
            buffer.bytes += record.count + 1
            return (true, Self.isBatchFull(buffer, configuration))
        }
        if full { wake.signal() }
        return accepted
    }

    /// Encodes `value` as one line of JSON and buffers it.
    @discardableResult
    public nonisolated func append<T: Encodable & Sendable>(
        _ value: T, encoder: JSONEncoder = JSONEncoder()
    ) throws -> Bool {
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
        while !buffer.withLock({ $0.records.isEmpty }) {
            try await writeOneBatch()
        }
    }

    /// Flushes if a batch is full or the oldest buffered record has waited ``Configuration/flushInterval``.
    public func flushIfDue() async throws {
        let (oldestAt, full) = buffer.withLock { ($0.oldestAt, Self.isBatchFull($0, configuration)) }
        guard let oldest = oldestAt else { return }
        let interval = configuration.flushInterval
        let age = now().timeIntervalSince(oldest)
        let limit = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        if full || age >= limit { try await flush() }
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
        buffer.withLock { $0.isClosed = true }
        try await flush()
    }

    private static func isBatchFull(_ buffer: Buffer, _ configuration: Configuration) -> Bool {
        buffer.records.count >= configuration.maxRecords || buffer.bytes >= configuration.maxBytes
    }

    private func writeOneBatch() async throws {
        var count = 0
        var bytes = 0
        var body = Data()
        for record in buffer.withLock({ $0.records.prefix(configuration.maxRecords) }) {
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
        let now = now()
        buffer.withLock { buffer in
            buffer.records.removeFirst(count)
            buffer.bytes -= bytes
            buffer.oldestAt = buffer.records.isEmpty ? nil : now
        }
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
