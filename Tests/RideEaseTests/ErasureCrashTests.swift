import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `rideease riders forget` killed with SIGKILL at random moments, 50 times, then run to completion: the store
/// ends consistent — the rider gone, every other event present exactly once, every segment whole.
@Suite("erasure survives kill -9", .serialized)
struct ErasureCrashTests {
    static let rider = "crash-rider-x9"
    let directory: URL
    let store: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-erase-\(UUID().uuidString)")
        store = directory.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: true)
    }

    /// 160 event segments (hour folders and two daily files) and 40 trace segments; the rider is in most of them
    /// and alone in some. Returns the other riders' event ids.
    func writeStore() throws -> Set<String> {
        var others: Set<String> = []
        func write(_ key: String, _ lines: [String]) throws {
            let url = store.appendingPathComponent(key)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        }
        func event(_ id: String, _ user: String) -> String {
            #"{"eventId":"\#(id)","itemId":"place-\#(id.count % 7)","timestamp":1790000000,"type":"ride","userId":"\#(user)"}"#
        }
        for segment in 0..<160 {
            var lines: [String] = []
            let alone = segment % 16 == 0
            for index in 0..<(alone ? 0 : 12) {
                let id = "e-\(segment)-\(index)"
                others.insert(id)
                lines.append(event(id, "rider-\(index % 5)"))
            }
            if segment % 4 != 1 { lines.insert(event("r-\(segment)", Self.rider), at: lines.count / 2) }
            let key =
                segment < 2
                ? "events/2026/09/0\(segment + 1)/daily-00000001.jsonl"
                : "events/2026/09/21/\(String(format: "%02d", segment % 24))/w\(segment)-000001.jsonl"
            try write(key, lines)
        }
        for segment in 0..<40 {
            let trace = #"{"requestId":"t-\#(segment)","userId":"\#(Self.rider)","recommendations":[]}"#
            let other = #"{"requestId":"o-\#(segment)","userId":"rider-1","recommendations":[]}"#
            try write("traces/2026/09/21/10/w\(segment)-000001.jsonl", segment % 5 == 0 ? [trace] : [other, trace])
        }
        return others
    }

    var environment: [String: String] {
        ["RIDEEASE_ERASURE_SETTLE_SECONDS": "0", "RIDEEASE_MAINTENANCE_LEASE_SECONDS": "2"]
    }

    @Test("50 kills during the sweep, then a run to completion: consistent store, rider gone")
    func killedFiftyTimes() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let others = try writeStore()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let child = try RideEaseProcess(
                ["riders", "forget", Self.rider, "--storage", store.path], environment: environment,
                directory: directory)
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...300, using: &generator)))
            child.signal(SIGKILL)
            _ = try await child.waitForExit(timeout: .seconds(10))
        }
        let finished = try await RideEaseProcess.run(
            ["riders", "forget", Self.rider, "--storage", store.path], environment: environment, directory: directory)
        #expect(finished.status == 0, "\(finished.stderr)")
        let record = try JSONSerialization.jsonObject(with: Data(finished.stdout.utf8)) as? [String: Any]
        #expect(record?["status"] as? String == "complete")

        var seen: [String: Int] = [:]
        let files = FileManager.default.enumerator(at: store, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard !url.hasDirectoryPath, !url.path.contains("/.rideease-") else { continue }
            let data = try Data(contentsOf: url)
            #expect(data.range(of: Data(Self.rider.utf8)) == nil, "\(url.path) still holds the rider")
            guard url.pathExtension == "jsonl" else { continue }
            for line in data.split(separator: UInt8(ascii: "\n")) {
                let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                if let id = object?["eventId"] as? String { seen[id, default: 0] += 1 }
            }
        }
        #expect(Set(seen.keys) == others)
        #expect(seen.values.allSatisfy { $0 == 1 })
    }

    @Test("a malformed id exits non-zero naming the problem", arguments: ["", "bad\u{7}id"])
    func malformedId(userId: String) async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await RideEaseProcess.run(
            ["riders", "forget", userId, "--storage", store.path], environment: environment, directory: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("rider id: userId must"), "\(result.stderr)")
    }
}
