import Foundation
import FunctionRuntime
import Logging
import Scheduler
import Storage
import Testing

@testable import Functions

@Suite("retention by the manifest's policy")
struct RetentionTests {
    /// 2026-03-10T12:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_773_144_000)
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// One object of every kind the policy ages, for the days from 2026-02-20 to 2026-03-10.
    static func populate(_ store: any ObjectStore) async throws {
        for day in 20...28 {
            try await put(store, "events/2026/02/\(day)/05/w-00000001.jsonl")
        }
        for day in 1...10 {
            let dd = day < 10 ? "0\(day)" : "\(day)"
            try await put(store, "events/2026/03/\(dd)/05/w-00000001.jsonl")
            try await put(store, "traces/2026/03/\(dd)/05/w-00000001.jsonl")
        }
        try await put(store, "events/2026/02/20/daily-00000001.jsonl")
        try await put(store, "events/2026/02/20/daily-00000001.index.json")
        // Every audit writer's key form, a month old and a day old.
        for stamp in ["20260208T090000Z", "20260309T090000Z"] {
            try await put(store, "audit/erasures/\(stamp)-0123456789abcdef0123456789abcdef-completed.json")
        }
        for digits in ["20260208090000", "20260309090000"] {
            try await put(store, "audit/deployments/rec-engine/\(digits)-g2.json")
            try await put(store, "audit/shadow/rec-engine/\(digits)-g1-start.json")
            try await put(store, "audit/experiments/rec-engine/\(digits)-r3-start.json")
            try await put(store, "audit/training/train-\(digits)-1a2b3c.json")
        }
        // No stamp: aged by modification time (now, in real time: younger than any retention here).
        try await put(store, "audit/notes/unstamped.json")
    }

    static func put(_ store: any ObjectStore, _ key: String) async throws {
        try await store.put(key, data: Data("{}\n".utf8), precondition: .none)
    }

    static func keys(_ store: any ObjectStore, _ prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 5)
            keys += page.objects.map(\.key)
            token = page.continuationToken
        } while token != nil
        return keys
    }

    @Test func objectsPastTheirAgeGoAndYoungerOnesStayPerKind() async throws {
        let fixture = try HandlerFixture(now: Self.start)
        try await Self.populate(fixture.store)
        let enforcer = RetentionEnforcer(
            store: fixture.store, policy: RetentionPolicy(tracesDays: 3, eventsDays: 14, auditDays: 30),
            logger: Self.logger)
        let report = try await enforcer.run(now: fixture.clock.now())
        // Events: days before 2026-02-24 go (4 hour segments of Feb 20–23, and Feb 20's daily file and index).
        #expect(report.events == 6)
        #expect(try await Self.keys(fixture.store, "events/").first == "events/2026/02/24/05/w-00000001.jsonl")
        // Traces: days before 2026-03-07 go.
        #expect(report.traces == 6)
        #expect(try await Self.keys(fixture.store, "traces/").first == "traces/2026/03/07/05/w-00000001.jsonl")
        // Audit: every form stamped a month ago goes, those of yesterday and the unstamped one stay.
        #expect(report.audit == 5)
        let audit = try await Self.keys(fixture.store, "audit/")
        #expect(audit.count == 6)
        #expect(audit.allSatisfy { $0.contains("20260309") || $0.hasSuffix("unstamped.json") })
        // Time passes on the virtual clock: more goes, by the keys' dates.
        fixture.clock.advance(by: .seconds(86_400 * 2))
        let later = try await enforcer.run(now: fixture.clock.now())
        #expect(later.events == 2)
        #expect(later.traces == 2)
        #expect(later.audit == 0)
        #expect(try await enforcer.run(now: fixture.clock.now()) == RetentionEnforcer.Report(), "idempotent")
    }

    @Test func nothingIsDeletedWithoutAPolicy() async throws {
        let fixture = try HandlerFixture(now: Self.start.addingTimeInterval(86_400 * 3650))
        try await Self.populate(fixture.store)
        let report = try await RetentionEnforcer(store: fixture.store, policy: RetentionPolicy(), logger: Self.logger)
            .run(now: fixture.clock.now())
        #expect(report == RetentionEnforcer.Report())
    }

    @Test func theMaintenanceRunCompactsThenEnforcesRetention() async throws {
        let fixture = try HandlerFixture(now: Self.start)
        try await Self.populate(fixture.store)
        let report = try await SegmentMaintenance(
            store: fixture.store, clock: fixture.clock,
            retention: RetentionPolicy(tracesDays: 3, eventsDays: 14, auditDays: 30), owner: "test",
            leaseSeconds: 5, logger: Self.logger
        ).run()
        // Every finished day is compacted first (Feb 20 into a second generation), then the days past retention
        // go whole: daily file and index each.
        #expect(report.events.daysCompacted == 9 + 9)
        #expect(report.traces.daysCompacted == 9)
        #expect(report.retentionDeleted.events == 4 * 2)
        #expect(report.retentionDeleted.traces == 2 * 6)
        #expect(report.retentionDeleted.audit == 5)
        let events = try await Self.keys(fixture.store, "events/")
        #expect(events.first == "events/2026/02/24/daily-00000001.index.json")
        #expect(events.filter { $0.hasSuffix(".jsonl") }.count == 14 + 1, "14 daily files and today's segment")
    }

    @Test func auditStampsOfEveryWriterAreRead() {
        let expected = Date(timeIntervalSince1970: 1_773_046_800)  // 2026-03-09T09:00:00Z
        for key in [
            "audit/erasures/20260309T090000Z-0123456789abcdef0123456789abcdef-completed.json",
            "audit/deployments/rec-engine/20260309090000-g2.json",
            "audit/training/train-20260309090000-1a2b3c.json",
        ] {
            #expect(AuditStamp.date(inKey: key) == expected, "\(key)")
        }
        #expect(AuditStamp.date(inKey: "audit/notes/unstamped.json") == nil)
        #expect(AuditStamp.date(inKey: "audit/x/20261399090000-g2.json") == nil, "month 13")
        #expect(AuditStamp.date(inKey: "audit/x/120260309090000-g2.json") == nil, "15 digits")
    }
}
