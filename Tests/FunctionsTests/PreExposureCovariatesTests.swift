import Foundation
import FunctionRuntime
import Recommender
import Scheduler
import Storage
import Synchronization
import Testing

@testable import Functions

@Suite("pre-exposure covariates: CUPED's x from the event log")
struct PreExposureCovariatesTests {
    typealias Covariate = PreExposureCovariates.Covariate
    static let day: TimeInterval = 86_400
    /// Every rider's first exposure unless a test says otherwise.
    static let exposure = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func aConversionInsideThePreWindowCountsAndAnyEventIsHistory() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        try await log.write([conversion("c1", "converted", at: -3 * Self.day), ride("r1", "rode", at: -2 * Self.day)])
        let riders = ["converted", "rode", "absent"]
        let covariates = try await log.load(riders)
        #expect(covariates.count == 3)
        #expect(covariates[UserSet.hash("converted")] == Covariate(value: 1, hasHistory: true))
        #expect(covariates[UserSet.hash("rode")] == Covariate(value: 0, hasHistory: true))
        #expect(covariates[UserSet.hash("absent")] == Covariate(value: 0, hasHistory: false))
    }

    @Test func onlyTheDaysBeforeTheFirstExposureCount() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        try await log.write([
            conversion("c1", "old", at: -15 * Self.day),
            conversion("c2", "old-but-active", at: -15 * Self.day), ride("r2", "old-but-active", at: -10 * Self.day),
            conversion("c3", "after", at: 0), conversion("c4", "after", at: 3600),
            conversion("c5", "edge", at: -14 * Self.day),
        ])
        let riders = ["old", "old-but-active", "after", "edge"]
        let fourteen = try await log.load(riders)
        #expect(fourteen[UserSet.hash("old")] == Covariate(value: 0, hasHistory: false))
        #expect(fourteen[UserSet.hash("old-but-active")] == Covariate(value: 0, hasHistory: true))
        #expect(fourteen[UserSet.hash("after")] == Covariate(value: 0, hasHistory: false))
        #expect(fourteen[UserSet.hash("edge")] == Covariate(value: 1, hasHistory: true))
        let sixteen = try await log.load(riders, preWindowDays: 16)
        #expect(sixteen[UserSet.hash("old")] == Covariate(value: 1, hasHistory: true))
        #expect(sixteen[UserSet.hash("after")] == Covariate(value: 0, hasHistory: false))
    }

    @Test func eachRiderIsMeasuredBeforeTheirOwnFirstExposure() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        try await log.write([
            conversion("c1", "early", at: -1 * Self.day), conversion("c2", "late", at: -1 * Self.day),
            ride("r1", "early", at: -5 * Self.day),
        ])
        let exposures = [
            UserSet.hash("late"): Self.exposure, UserSet.hash("early"): Self.exposure - 2 * Self.day,
        ]
        let covariates = try await log.loader.load(firstExposure: exposures, preWindowDays: 14)
        #expect(covariates[UserSet.hash("late")] == Covariate(value: 1, hasHistory: true))
        #expect(covariates[UserSet.hash("early")] == Covariate(value: 0, hasHistory: true))
    }

    @Test func aDuplicateEventIdCountsOnceAndTheFirstOccurrenceWins() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        try await log.write([ride("e1", "reused", at: -3 * Self.day), conversion("e2", "twice", at: -3 * Self.day)])
        // A later segment repeats e2 and reuses e1 for a conversion: as EventLog reads it, e1 stays a ride.
        try await log.write(
            [conversion("e1", "reused", at: -2 * Self.day), conversion("e2", "twice", at: -3 * Self.day)],
            writtenAt: Self.exposure - 2 * Self.day)
        let covariates = try await log.load(["reused", "twice"])
        #expect(covariates[UserSet.hash("reused")] == Covariate(value: 0, hasHistory: true))
        #expect(covariates[UserSet.hash("twice")] == Covariate(value: 1, hasHistory: true))
        let reference = try await log.reference(["reused", "twice"])
        #expect(reference == covariates)
    }

    @Test func aRandomLogWithDuplicatesAndDecoderOnlyLinesAgreesWithEventLog() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        var random = SplitMix(seed: 16)
        let events = (0..<3000).map { index in
            let user = "rider-\(random.next() % 300)"
            let offset = -Double(random.next() % UInt64(40 * Self.day)) + 5 * Self.day
            var event =
                random.next() % 5 == 0 ? conversion("e\(index)", user, at: offset) : ride("e\(index)", user, at: offset)
            if random.next() % 7 == 0 { event.weight = 2 }  // not canonical: read by JSONDecoder
            return event
        }
        for batch in 0..<6 {
            let slice = events[(batch * 500)..<(batch * 500 + 500)]
            // Each segment is written after its latest event; every third repeats its predecessor's events.
            let written = Date(timeIntervalSince1970: TimeInterval(slice.map(\.timestamp).max()!))
            try await log.write(Array(slice), writtenAt: written)
            if batch % 3 == 2 { try await log.write(Array(slice), writtenAt: written + 3600) }
        }
        let riders = (0..<320).map { "rider-\($0)" }
        let covariates = try await log.load(riders)
        let reference = try await log.reference(riders)
        #expect(covariates == reference)
        #expect(covariates.values.contains { $0.value == 1 } && covariates.values.contains { !$0.hasHistory })
    }

    @Test func segmentsWrittenBeforeTheWindowAreNeitherListedNorRead() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        for daysBefore in [400.0, 200, 30] {
            try await log.write([conversion("old-\(daysBefore)", "a", at: -daysBefore * Self.day)])
        }
        try await log.write([ride("r1", "a", at: -3 * Self.day)])
        // Stamped 21 hours ahead of the writer's clock (ingest allows a day): its segment predates the window.
        try await log.write(
            [conversion("c1", "b", at: -14 * Self.day + 3600)], writtenAt: Self.exposure - 15 * Self.day + 4 * 3600)
        // Imported today, by the machine's clock, long after the exposure it precedes.
        try await EventLog(store: log.store.base).append([conversion("c2", "c", at: -5 * Self.day)])
        let covariates = try await log.load(["a", "b", "c"])
        #expect(covariates[UserSet.hash("a")] == Covariate(value: 0, hasHistory: true))
        #expect(covariates[UserSet.hash("b")] == Covariate(value: 1, hasHistory: true))
        #expect(covariates[UserSet.hash("c")] == Covariate(value: 1, hasHistory: true))
        // The window opens 14 days before the exposure, and a day earlier for events stamped ahead of the writer.
        let firstHour = "events/" + SegmentWriter.hourFolder(of: Self.exposure - 15 * Self.day)
        #expect(log.store.gets.count == 3)
        #expect(log.store.gets.allSatisfy { $0 >= firstHour })
        #expect(log.store.prefixes.allSatisfy { $0 >= firstHour.prefix(17) })
    }

    @Test func anEmptyMapReadsNothingAndAWindowOutOfRangeIsRefused() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        try await log.write([conversion("c1", "a", at: -3 * Self.day)])
        #expect(try await log.loader.load(firstExposure: [:], preWindowDays: 14).isEmpty)
        #expect(log.store.prefixes.isEmpty && log.store.gets.isEmpty)
        for days in [0, -1, 366] {
            let error = await #expect(throws: FunctionError.self) { try await log.load(["a"], preWindowDays: days) }
            #expect(error?.status == 400)
        }
    }

    @Test func twoHundredThousandEventsLoadInReasonableTime() async throws {
        let log = try CovariateLog()
        defer { log.remove() }
        var random = SplitMix(seed: 200)
        let riders = (0..<5000).map { "rider-\($0)" }
        // 60 days of history before the exposure, one segment per six hours as an instance would write them.
        let origin = Self.exposure - 60 * Self.day
        var batch: [RideEvent] = []
        var segments = 0
        for index in 0..<200_000 {
            let offset = TimeInterval(index) * 60 * Self.day / 200_000
            let user = riders[Int(random.next() % 5000)]
            let time = offset - 60 * Self.day
            batch.append(
                random.next() % 20 == 0 ? conversion("e\(index)", user, at: time) : ride("e\(index)", user, at: time))
            if batch.count == 200_000 / 240 || index == 199_999 {
                try await log.write(batch, writtenAt: origin + offset)
                batch = []
                segments += 1
            }
        }
        // Riders are exposed over the last two weeks.
        let exposures = Dictionary(
            uniqueKeysWithValues: riders.map {
                (UserSet.hash($0), Self.exposure - Double(random.next() % 14) * Self.day)
            })
        let started = ContinuousClock.now
        let covariates = try await log.loader.load(firstExposure: exposures, preWindowDays: 14)
        let elapsed = ContinuousClock.now - started
        print(
            "pre-exposure covariates: 200000 events, 5000 riders, \(log.store.gets.count) of \(segments) segments read in "
                + "\(elapsed)")
        #expect(covariates.count == 5000)
        // The window reaches 28 days back of the 60 (exposures spread over 13 days, 14 of pre-window, 1 of slack).
        #expect(log.store.gets.count < segments * 29 / 60)
        let reference = try await log.reference(exposures)
        #expect(covariates == reference)
    }

    func ride(_ id: String, _ user: String, at offset: TimeInterval) -> RideEvent {
        RideEvent(
            eventId: id, type: .ride, userId: user, itemId: "place-1",
            timestamp: Int64((Self.exposure + offset).timeIntervalSince1970))
    }

    func conversion(_ id: String, _ user: String, at offset: TimeInterval) -> RideEvent {
        RideEvent(
            eventId: id, type: .conversion, userId: user, itemId: "place-1",
            timestamp: Int64((Self.exposure + offset).timeIntervalSince1970), requestId: "req-\(id)")
    }
}

/// An event log in a temporary folder, its loader, and a reference computed with ``EventLog``'s own reader.
private struct CovariateLog {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-covariates-\(UUID())")
    let store: CountingStore
    let loader: PreExposureCovariates

    init() throws {
        store = CountingStore(try FileStore(root: root))
        loader = PreExposureCovariates(
            store: store, clock: VirtualClock(now: PreExposureCovariatesTests.exposure + 2 * 86_400))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Writes `events` as segments named by `writtenAt` (default: the latest event's time, as ingest would).
    func write(_ events: [RideEvent], writtenAt: Date? = nil) async throws {
        let time = writtenAt ?? Date(timeIntervalSince1970: TimeInterval(events.map(\.timestamp).max() ?? 0))
        let writer = try SegmentWriter(store: store.base, configuration: .init(prefix: "events"), now: { time })
        for event in events where !(try writer.append(try event.canonicalLine())) {
            try await writer.flush()
            try writer.append(try event.canonicalLine())
        }
        try await writer.close()
    }

    func load(_ riders: [String], preWindowDays: Int = 14) async throws -> [UInt64: PreExposureCovariates.Covariate] {
        let exposures = Dictionary(
            uniqueKeysWithValues: riders.map { (UserSet.hash($0), PreExposureCovariatesTests.exposure) })
        return try await loader.load(firstExposure: exposures, preWindowDays: preWindowDays)
    }

    func reference(_ riders: [String]) async throws -> [UInt64: PreExposureCovariates.Covariate] {
        try await reference(
            Dictionary(uniqueKeysWithValues: riders.map { (UserSet.hash($0), PreExposureCovariatesTests.exposure) }))
    }

    /// The covariates from every event of the log as ``EventLog/events(in:)`` reads it (whole, de-duplicated).
    func reference(
        _ exposures: [UInt64: Date], days: Double = 14
    ) async throws -> [UInt64: PreExposureCovariates.Covariate] {
        let log = EventLog(store: store.base)
        var result = exposures.mapValues { _ in PreExposureCovariates.Covariate(value: 0, hasHistory: false) }
        for event in try await log.events(in: try await log.segments()) {
            let rider = UserSet.hash(event.userId)
            guard let first = exposures[rider]?.timeIntervalSince1970 else { continue }
            let time = TimeInterval(event.timestamp)
            guard time >= first - days * 86_400, time < first else { continue }
            result[rider]?.hasHistory = true
            if event.type == .conversion { result[rider]?.value = 1 }
        }
        return result
    }
}

/// A store that records the keys it was asked for and the prefixes it listed.
private final class CountingStore: ObjectStore {
    let base: any ObjectStore
    private let reads = Mutex<(gets: [String], prefixes: [String])>(([], []))
    init(_ base: any ObjectStore) { self.base = base }
    var gets: [String] { reads.withLock { $0.gets } }
    var prefixes: [String] { reads.withLock { $0.prefixes } }
    func get(_ key: String) async throws -> StoredObject? {
        reads.withLock { $0.gets.append(key) }
        return try await base.get(key)
    }
    func head(_ key: String) async throws -> ObjectInfo? { try await base.head(key) }
    func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String {
        try await base.put(key, data: data, precondition: precondition)
    }
    func delete(_ key: String) async throws { try await base.delete(key) }
    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing {
        reads.withLock { $0.prefixes.append(prefix) }
        return try await base.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    func uri(for key: String) -> String { base.uri(for: key) }
}

/// A small seeded generator (SplitMix64), so a failing random log can be replayed.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
