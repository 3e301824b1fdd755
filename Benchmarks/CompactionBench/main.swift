import Foundation
import FunctionRuntime
import Functions
import Logging
import Metrics
import Recommender
import Scheduler
import Storage

// What compaction buys readers: a snapshot read and a trace lookup over DAYS days of SEGMENTS small flushes each,
// before and after merging every day into one daily file. bench/compaction-bench.sh runs it in release mode.
//
// Usage: CompactionBench [SEGMENTS per day, default 2000] [DAYS, default 3] [EVENTS per segment, default 5]

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let segmentsPerDay = arguments.first ?? 2000
let days = arguments.dropFirst().first ?? 3
let eventsPerSegment = arguments.dropFirst(2).first ?? 5
let now = Date(timeIntervalSince1970: 1_773_144_000)  // 2026-03-10T12:00:00Z
let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-compaction-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: root) }
let store = try FileStore(root: root)

/// Writes straight into the folder (no fsync per object): set-up only, the reads measured are the store's.
func write(_ key: String, _ body: String) throws {
    let path = try store.path(for: key)
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(body.utf8).write(to: URL(fileURLWithPath: path))
}

let traceTemplate =
    #""userId":"rider-0001","experimentId":"rec-engine","variant":"control","modelVersion":"v0.1.0","deploymentGeneration":1,"dataSnapshotId":"snap-0000000000000000","pipelineGitSha":"dev","containerImageDigest":"dev","artifactUri":"file:///m","latencyMs":1.5,"recommendations":[{"itemId":"place-1","score":0.5}],"fallback":false"#
var collected: [String] = []
var eventCount = 0
for day in 1...days {
    let dayStart = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - Double(day) * 86_400
    for segment in 0..<segmentsPerDay {
        let at = Date(timeIntervalSince1970: dayStart + Double(segment) * 86_400 / Double(segmentsPerDay))
        let folder = SegmentWriter.hourFolder(of: at)
        let name = "w\(segment % 4)-\(SegmentWriter.zeroPadded(segment, width: 8)).jsonl"
        var events = ""
        for index in 0..<eventsPerSegment {
            eventCount += 1
            events +=
                #"{"eventId":"e\#(day)-\#(segment)-\#(index)","itemId":"place-\#(index)","timestamp":\#(Int(at.timeIntervalSince1970)),"type":"ride","userId":"rider-\#(segment % 97)"}"#
                + "\n"
        }
        try write("events/\(folder)/\(name)", events)
        let requestId = RequestID.generate(at: at)
        let createdAt = ISO8601DateFormatter().string(from: at)
        try write(
            "traces/\(folder)/\(name)",
            #"{"requestId":"\#(requestId)",\#(traceTemplate),"createdAt":"\#(createdAt)"}"# + "\n")
        if segment == segmentsPerDay - 1 || segment == segmentsPerDay / 2 { collected.append(requestId) }
    }
}

let lookups = collected
let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
let clock = VirtualClock(now: now)
let bundle = try FunctionCatalog.makeBundle(
    HandlerDependencies(
        storage: store, clock: clock, metricsFactory: NOOPMetricsHandler.instance, logger: logger,
        configuration: HandlerConfiguration(
            manifest: FunctionManifest(service: "bench", functions: []), environment: [:]),
        instanceId: "bench"))

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func call(_ name: String, _ parameters: [String: String] = [:]) async throws -> FunctionResponse {
    let context = FunctionContext(
        functionName: name, requestId: RequestID.generate(), logger: logger, storage: store, clock: clock,
        configuration: [:], deadline: .now + .seconds(3600))
    let request = FunctionRequest(
        pathParameters: parameters, query: [:], body: Data(), requestId: context.requestId)
    return try await bundle.handlers[name]!.handle(request, context: context)
}

/// Snapshot read (every event segment) and the mean trace lookup time, in seconds.
func measure() async throws -> (snapshot: Double, events: Int, lookup: Double) {
    let started = ContinuousClock.now
    let (snapshot, _) = try await SnapshotStore(store: store).take(now: now)
    let snapshotSeconds = seconds(ContinuousClock.now - started)
    let lookupStarted = ContinuousClock.now
    for requestId in lookups {
        let response = try await call("getTrace", ["requestId": requestId])
        precondition(response.status == 200, "trace \(requestId) not found")
    }
    return (snapshotSeconds, snapshot.eventCount, seconds(ContinuousClock.now - lookupStarted) / Double(lookups.count))
}

print("\(days) days x \(segmentsPerDay) segments (\(eventsPerSegment) events and 1 trace each), FileStore")
let before = try await measure()
let compactStarted = ContinuousClock.now
let compacted = try await call("compactSegments")
precondition(compacted.status == 200, String(decoding: compacted.body, as: UTF8.self))
let compactSeconds = seconds(ContinuousClock.now - compactStarted)
let after = try await measure()
precondition(after.events == before.events && before.events == eventCount, "events lost or duplicated")
print(
    String(
        format: "before: snapshot read %.3f s (%d events), trace lookup %.1f ms", before.snapshot, before.events,
        before.lookup * 1000))
print(
    String(format: "compaction: %.2f s, ", compactSeconds)
        + String(decoding: compacted.body, as: UTF8.self).prefix(200))
print(
    String(
        format: "after:  snapshot read %.3f s (%d events), trace lookup %.1f ms", after.snapshot, after.events,
        after.lookup * 1000))
