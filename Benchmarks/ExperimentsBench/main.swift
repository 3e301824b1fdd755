// How long GET /experiments/{id}/summary takes over a day of traffic, through the real handler on a FileStore.
//
// Usage: ExperimentsBench [requests-per-day] [riders] [instances] [flush-seconds]
// (defaults: 1,000,000 requests from 200,000 riders on 2 instances flushing every 10 s).
//
// The day's tallies are written in the documented part format (experiments/<id>/tallies/<yyyy>/<mm>/<dd>/<hh>/
// <writer>-<seq>.json, one HourTally each), as the instances' TallyWriters would; then the summary is asked for
// three times: cold (reads every part, rolls the settled hours up), warm (rollups + the current hour's parts),
// and the timeline.
import Foundation
import FunctionRuntime
import Functions
import Logging
import Metrics
import Scheduler
import Storage

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let requestsPerDay = arguments.first ?? 1_000_000
let riders = arguments.dropFirst().first ?? 200_000
let instances = arguments.dropFirst(2).first ?? 2
let flushSeconds = arguments.dropFirst(3).first ?? 10

let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-experiments-bench-\(UUID())")
try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: root) }
let store = try FileStore(root: root)
let dayStart = Date(timeIntervalSince1970: 1_767_225_600)
let now = dayStart.addingTimeInterval(86_400 - 1800)  // half an hour into the day's last hour

func base64(_ hashes: Set<UInt64>) -> String {
    var data = Data(capacity: hashes.count * 8)
    for hash in hashes.sorted() { withUnsafeBytes(of: hash.littleEndian) { data.append(contentsOf: $0) } }
    return data.base64EncodedString()
}

func hourFolder(_ date: Date) -> String { SegmentWriter.hourFolder(of: date) }

// Generate the parts: every flush interval, each instance writes what it saw in that interval.
var random = SystemRandomNumberGenerator()
let writeStart = ContinuousClock.now
let flushes = 86_400 / flushSeconds
let requestsPerPart = max(1, requestsPerDay / (flushes * instances))
var parts = 0
var bytes = 0
for flush in 0..<flushes {
    let at = dayStart.addingTimeInterval(Double(flush * flushSeconds))
    guard at <= now else { break }
    for instance in 0..<instances {
        var exposed: [String: Set<UInt64>] = ["control": [], "treatment": []]
        var converted: [String: Set<UInt64>] = ["control": [], "treatment": []]
        var requests: [String: Int] = ["control": 0, "treatment": 0]
        for _ in 0..<requestsPerPart {
            let rider = UInt64.random(in: 0..<UInt64(riders), using: &random)
            let variant = rider % 2 == 0 ? "control" : "treatment"
            // A stand-in for the FNV hash of the rider id: any 64-bit value distinct per rider.
            let hash = rider &* 0x9E37_79B9_7F4A_7C15
            exposed[variant]?.insert(hash)
            requests[variant, default: 0] += 1
            if Double.random(in: 0..<1, using: &random) < (variant == "control" ? 0.010 : 0.011) {
                converted[variant]?.insert(hash)
            }
        }
        let variants = ["control", "treatment"].map { name in
            #""\#(name)":{"converted":"\#(base64(converted[name] ?? []))","errors":0,"exposed":"\#(base64(exposed[name] ?? []))","latency":[[120,\#(requests[name] ?? 0)]],"requests":\#(requests[name] ?? 0)}"#
        }
        let hourStart = Date(timeIntervalSince1970: (at.timeIntervalSince1970 / 3600).rounded(.down) * 3600)
        let body =
            #"{"hourStart":"\#(ISO8601DateFormatter().string(from: hourStart))","variants":{\#(variants.joined(separator: ","))}}"#
        let key =
            "experiments/rec-engine/tallies/\(hourFolder(at))/w\(instance)-\(SegmentWriter.zeroPadded(flush, width: 8)).json"
        // Straight into the FileStore's folder, without its fsync per object: set-up only, the reads are real.
        let path = try store.path(for: key)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(body.utf8).write(to: URL(fileURLWithPath: path))
        parts += 1
        bytes += body.utf8.count
    }
}
let writeSeconds =
    Double((ContinuousClock.now - writeStart).components.attoseconds) / 1e18
    + Double((ContinuousClock.now - writeStart).components.seconds)

let clock = VirtualClock(now: now)
let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
let bundle = try FunctionCatalog.makeBundle(
    HandlerDependencies(
        storage: store, clock: clock, metricsFactory: NOOPMetricsHandler.instance, logger: logger,
        // No function declares anything: every handler takes its defaults (the rec-engine experiment).
        configuration: HandlerConfiguration(
            manifest: FunctionManifest(service: "bench", functions: []), environment: [:]),
        instanceId: "bench"))

/// User + system CPU seconds of the whole process: unlike wall time, not inflated by other load on the machine.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func call(_ name: String) async throws -> (seconds: Double, cpu: Double, body: [String: Any]) {
    let context = FunctionContext(
        functionName: name, requestId: RequestID.generate(), logger: logger, storage: store, clock: clock,
        configuration: [:], deadline: .now + .seconds(600))
    let request = FunctionRequest(
        pathParameters: ["experimentId": "rec-engine"], query: ["windowHours": "24"], body: Data(),
        requestId: context.requestId)
    let started = ContinuousClock.now
    let cpuStarted = cpuSeconds()
    let response = try await bundle.handlers[name]!.handle(request, context: context)
    let elapsed = started.duration(to: .now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let body = (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    return (seconds, cpuSeconds() - cpuStarted, body)
}

func format(_ run: (seconds: Double, cpu: Double, body: [String: Any])) -> String {
    String(format: "%.3f s wall, %.3f s CPU", run.seconds, run.cpu)
}

let cold = try await call("experimentSummary")
let warm = try await call("experimentSummary")
let timeline = try await call("experimentTimeline")
let users = (warm.body["variants"] as? [[String: Any]] ?? []).compactMap { $0["users"] as? Int }.reduce(0, +)
print(
    """
    day: \(requestsPerDay) requests, \(riders) riders, \(instances) instances flushing every \(flushSeconds) s
    parts written: \(parts) (\(bytes / 1_048_576) MiB) in \(String(format: "%.1f", writeSeconds)) s
    riders exposed in the window: \(users)
    summary, cold (every part read, 23 hours rolled up): \(format(cold))
    summary, warm (23 rollups + the current hour's parts): \(format(warm))
    timeline, warm (24 points): \(format(timeline))
    decision: \(warm.body["decision"] ?? "?")
    """)
