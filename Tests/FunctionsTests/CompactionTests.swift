import Foundation
import FunctionRuntime
import Scheduler
import Storage
import Testing

@testable import Functions

@Suite("compaction through the functions")
struct CompactionTests {
    @Test func aTraceIsFoundInItsDailyFileAfterCompaction() async throws {
        let fixture = try await ServingTests.servingFixture()
        let answer = try fixture.json(try await fixture.call("recommend", body: #"{"userId":"rider-0003","limit":3}"#))
        let requestId = try #require(answer["requestId"] as? String)
        await fixture.shutdown()
        let report = try await SegmentCompactor(
            store: fixture.store, prefix: "traces", now: { Date().addingTimeInterval(2 * 86_400) }
        ).run()
        #expect(report.daysCompacted >= 1)
        let traces = try await fixture.store.list(prefix: "traces/", continuationToken: nil, maxKeys: 1000).objects
        #expect(traces.allSatisfy { $0.key.contains("/daily-") }, "no small trace segment left")
        let other = try HandlerFixture(sharing: fixture)
        let found = try await other.call("getTrace", pathParameters: ["requestId": requestId])
        #expect(found.status == 200)
        #expect(try other.json(found)["requestId"] as? String == requestId)
        #expect(try await other.call("getTrace", pathParameters: ["requestId": RequestID.generate()]).status == 404)
    }

    @Test func theHandlerCompactsFinishedDaysAndAnswersWhatItDid() async throws {
        let fixture = try HandlerFixture(now: Date(timeIntervalSince1970: 1_773_144_000))  // 2026-03-10T12:00Z
        for day in ["08", "09"] {
            for hour in ["03", "17"] {
                let line = #"{"eventId":"e-\#(day)-\#(hour)","type":"ride","userId":"u","itemId":"p","timestamp":1}"#
                try await fixture.store.put(
                    "events/2026/03/\(day)/\(hour)/w-00000001.jsonl", data: Data((line + "\n").utf8),
                    precondition: .ifNoneMatch)
            }
        }
        try await fixture.store.put(
            "traces/2026/03/10/01/w-00000001.jsonl", data: Data("{}\n".utf8), precondition: .ifNoneMatch)
        let response = try await fixture.call("compactSegments")
        #expect(response.status == 200)
        let body = try fixture.json(response)
        #expect(body["daysCompacted"] as? Int == 2)
        #expect(body["segmentsMerged"] as? Int == 4)
        #expect((body["events"] as? [String: Any])?["daysCompacted"] as? Int == 2)
        #expect((body["traces"] as? [String: Any])?["daysCompacted"] as? Int == 0, "today is never compacted")
        #expect((body["retentionDeleted"] as? [String: Any])?["events"] as? Int == 0, "no retention declared")
        #expect((body["durations"] as? [String: Any])?["compaction"] is Double)
        let lease = try #require(try await fixture.store.get(StoreLease.maintenanceKey))
        let holder = try #require(try JSONSerialization.jsonObject(with: lease.data) as? [String: Any])
        #expect(holder["owner"] as? String == "test/compact", "run under the lease, given back after")
    }

    @Test func theHandlerAnswers409WhileTheMaintenanceLeaseIsHeld() async throws {
        let fixture = try HandlerFixture()
        let lease = StoreLease(store: fixture.store, key: StoreLease.maintenanceKey)
        _ = try await lease.acquire(owner: "erasure", now: fixture.clock.now(), duration: 600)
        let response = try await fixture.call("compactSegments")
        #expect(response.status == 409)
        #expect(String(decoding: response.body, as: UTF8.self).contains("held by erasure"))
        let bad = try await fixture.call(
            "compactSegments", configuration: [CompactSegments.leaseVariable: "soon"])
        #expect(bad.status == 400)
    }
}
