import Foundation
import FunctionRuntime
import Storage
import Testing

@testable import Functions

/// What the erasure endpoints answer to bad or surprising input.
@Suite("rider erasure: bad input, unknown riders, repeats")
struct RiderErasureInputTests {
    static func fixture() async throws -> ErasureFixture {
        try ErasureFixture(store: try await ErasureBackend.file.makeStore(), now: Date())
    }

    @Test(
        "a malformed id is a 400 naming the problem",
        arguments: [
            ("", "must not be empty"),
            ("a\u{1}b", "control characters"),
            ("tab\there", "control characters"),
            (String(repeating: "x", count: 200), "1-128 characters"),
            (String(repeating: "x", count: 257), "at most 256 bytes"),
        ])
    func malformedIds(userId: String, problem: String) async throws {
        let fixture = try await Self.fixture()
        for function in ["erase-rider", "rider-erasure"] {
            let response = try await fixture.invoke(function, pathParameters: ["userId": userId])
            #expect(response.status == 400)
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(body.contains("invalid_argument") && body.contains(problem), "\(body)")
        }
        #expect(try await fixture.store.list(prefix: "erasures/", continuationToken: nil, maxKeys: 10).objects.isEmpty)
    }

    @Test("an unknown rider is accepted and completes with nothing to do")
    func unknownRider() async throws {
        let fixture = try await Self.fixture()
        let accepted = try await fixture.invoke("erase-rider", pathParameters: ["userId": "nobody-rides-here"])
        #expect(accepted.status == 202)
        try await fixture.erasuresFinished()
        let progress = try ErasureFixture.json(
            try await fixture.invoke("rider-erasure", pathParameters: ["userId": "nobody-rides-here"]))
        #expect(progress["status"] as? String == "complete")
        #expect(progress["sealedUserId"] == nil)
        let counts = try #require(progress["counts"] as? [String: Any])
        for name in ["eventsRemoved", "tracesRemoved", "eventSegmentsRewritten", "placesRemoved"] {
            #expect(counts[name] as? Int == 0, "\(name)")
        }
        #expect((counts["modelPatches"] as? [Any])?.isEmpty == true)
    }

    @Test("GET for a rider never erased is a 404")
    func unknownProgress() async throws {
        let fixture = try await Self.fixture()
        let response = try await fixture.invoke("rider-erasure", pathParameters: ["userId": "never-asked"])
        #expect(response.status == 404)
    }

    @Test("without the admin key both endpoints answer 401")
    func needsTheKey() async throws {
        let fixture = try await Self.fixture()
        for key in [nil, "wrong"] as [String?] {
            #expect(try await fixture.invoke("erase-rider", pathParameters: ["userId": "u1"], key: key).status == 401)
            #expect(try await fixture.invoke("rider-erasure", pathParameters: ["userId": "u1"], key: key).status == 401)
            #expect(try await fixture.invoke("resume-erasures", key: key).status == 401)
        }
    }

    @Test("a repeated request for a complete erasure starts it over and audits it again")
    func repeatRestarts() async throws {
        let fixture = try await Self.fixture()
        #expect(try await fixture.invoke("erase-rider", pathParameters: ["userId": "u-again"]).status == 202)
        try await fixture.erasuresFinished()
        fixture.clock.advance(by: .seconds(5))
        let again = try await fixture.invoke("erase-rider", pathParameters: ["userId": "u-again"])
        #expect(again.status == 202)
        #expect(try ErasureFixture.json(again)["status"] as? String == "pending")
        try await fixture.erasuresFinished()
        let riderHash = try #require(try ErasureFixture.json(again)["riderHash"] as? String)
        let trail = try await ErasureStore(store: fixture.store).auditTrail(riderHash)
        #expect(trail.map(\.action) == [.requested, .completed, .requested, .completed])
    }

    @Test("the scheduled function finishes an erasure a stopped process left pending")
    func resumeFinishesPending() async throws {
        let fixture = try await Self.fixture()
        let eventLine = #"{"eventId":"e1","itemId":"p1","timestamp":1,"type":"ride","userId":"u-stopped"}"# + "\n"
        try await fixture.store.put("events/2026/01/01/00/w-1.jsonl", data: Data(eventLine.utf8), precondition: .none)
        let hash = try await RiderHash.resolve(secret: nil, store: fixture.store, logger: .init(label: "test"))
        let sweep = ErasureSweep(
            store: fixture.store, clock: fixture.clock, settings: ErasureSettings(settle: 0), hash: hash,
            logger: .init(label: "test"))
        _ = try await sweep.request("u-stopped")  // requested; the process stopped before sweeping
        let resumed = try ErasureFixture.json(try await fixture.invoke("resume-erasures"))
        #expect(resumed["completed"] as? [String] == [hash.hash("u-stopped")])
        #expect(try await fixture.store.get("events/2026/01/01/00/w-1.jsonl") == nil)
        #expect(try await ErasureFixture.keys(in: fixture.store, holding: "u-stopped").isEmpty)
    }

    @Test("the scheduled function never waits: an erasure in its settle time is reported waiting, then finished")
    func resumeNeverWaits() async throws {
        let fixture = try await Self.fixture()
        let eventLine = #"{"eventId":"e1","itemId":"p1","timestamp":1,"type":"ride","userId":"u-settling"}"# + "\n"
        try await fixture.store.put("events/2026/01/01/00/w-1.jsonl", data: Data(eventLine.utf8), precondition: .none)
        let hash = try await RiderHash.resolve(secret: nil, store: fixture.store, logger: .init(label: "test"))
        let sweep = ErasureSweep(
            store: fixture.store, clock: fixture.clock, settings: ErasureSettings(settle: 600), hash: hash,
            logger: .init(label: "test"))
        _ = try await sweep.request("u-settling")  // settles ten minutes from now; the process stopped at once
        // The virtual clock only moves when told: a call that waited for the settle time would never return.
        let early = try ErasureFixture.json(try await fixture.invoke("resume-erasures"))
        #expect(early["completed"] as? [String] == [])
        #expect(early["waiting"] as? [String] == [hash.hash("u-settling")])
        #expect(try await fixture.store.get("events/2026/01/01/00/w-1.jsonl") == nil, "the first pass ran")
        let record = try await ErasureStore(store: fixture.store).record(hash.hash("u-settling"))?.0
        #expect(record?.status == .pending)
        fixture.clock.advance(by: .seconds(601))
        let later = try ErasureFixture.json(try await fixture.invoke("resume-erasures"))
        #expect(later["completed"] as? [String] == [hash.hash("u-settling")])
        #expect(later["waiting"] as? [String] == [])
        #expect(try await ErasureFixture.keys(in: fixture.store, holding: "u-settling").isEmpty)
    }

    @Test("processes racing to create the hash key all end up with one key; a secret key hashes differently")
    func oneGeneratedKey() async throws {
        let store = try await ErasureBackend.file.makeStore()
        let hashes = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await RiderHash.resolve(secret: nil, store: store, logger: .init(label: "test")).hash("u1")
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(hashes.count == 1)
        let hash = try #require(hashes.first)
        #expect(hash.count == 32 && hash.allSatisfy(\.isHexDigit))
        let keyed = try await RiderHash.resolve(secret: "s3cret", store: store, logger: .init(label: "test"))
        #expect(keyed.hash("u1") != hash)
        #expect(keyed.open(try keyed.seal("u1")) == "u1")
        #expect(RiderHash(key: Data("other".utf8)).open(try keyed.seal("u1")) == nil)
    }

    @Test("other riders' lines stay byte for byte, whatever their form")
    func otherLinesUntouched() async throws {
        let fixture = try await Self.fixture()
        let lines = [
            #"{"eventId":"e1","itemId":"p1","timestamp":1,"type":"ride","userId":"a\/b"}"#,
            #"{"userId" : "other",  "eventId":"e2","itemId":"a/b","timestamp":2,"type":"ride"}"#,
            #"{"eventId":"e3","itemId":"p1","timestamp":3,"type":"ride","userId":"\u0061/b"}"#,
            #"not json but mentions a/b"#,
            #"{"eventId":"e4","itemId":"p1","timestamp":4,"type":"ride","userId":"a/bc"}"#,
        ]
        let body = lines.joined(separator: "\n") + "\n"
        try await fixture.store.put("events/daily/daily-00000001.jsonl", data: Data(body.utf8), precondition: .none)
        let outcome = try await SegmentErasure(store: fixture.store, prefix: "events/")
            .erase(RiderLines(userId: "a/b"))
        #expect(outcome == .init(scanned: 1, rewritten: 1, removed: 2))
        let kept = try #require(try await fixture.store.get("events/daily/daily-00000001.jsonl"))
        #expect(
            String(decoding: kept.data, as: UTF8.self) == [lines[1], lines[3], lines[4]].joined(separator: "\n") + "\n")
    }
}
