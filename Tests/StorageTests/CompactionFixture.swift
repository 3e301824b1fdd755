import Foundation
import Storage
import Testing

/// Small segments spread over past days and today, each line an id that must survive compaction exactly once.
struct CompactionFixture {
    /// 2026-03-10T12:00:00Z: "today" of every compaction in these tests.
    static let now = Date(timeIntervalSince1970: 1_773_144_000)
    static let days = ["2026/03/07", "2026/03/08", "2026/03/09"]
    static let today = "2026/03/10"

    /// Source key → its bytes.
    var segments: [String: Data] = [:]

    /// `perHour` segments of `lines` lines in hours 00, 07 and 23 of every past day, and two segments today.
    static func write(
        to store: any ObjectStore, prefix: String = "events", perHour: Int = 3, lines: Int = 4
    )
        async throws -> CompactionFixture
    {
        var fixture = CompactionFixture()
        for day in days + [today] {
            for hour in day == today ? ["01"] : ["00", "07", "23"] {
                for writer in 0..<(day == today ? 2 : perHour) {
                    let key = "\(prefix)/\(day)/\(hour)/w\(writer)-00000001.jsonl"
                    try await fixture.add(key, lines: lines, to: store)
                }
            }
        }
        return fixture
    }

    mutating func add(_ key: String, lines: Int, to store: any ObjectStore) async throws {
        var body = ""
        for line in 0..<lines { body += #"{"eventId":"\#(key)#\#(line)"}"# + "\n" }
        segments[key] = Data(body.utf8)
        try await store.put(key, data: Data(body.utf8), precondition: .ifNoneMatch)
    }

    /// Every line written.
    var lines: [String] {
        segments.values.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n").map(String.init) }.sorted()
    }

    /// Every line of every `.jsonl` object under `prefix`, sorted (duplicates kept).
    static func storedLines(_ store: any ObjectStore, prefix: String = "events") async throws -> [String] {
        var lines: [String] = []
        for key in try await keys(store, prefix: prefix + "/") where key.hasSuffix(".jsonl") {
            let data = try #require(try await store.get(key)).data
            lines += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        return lines.sorted()
    }

    static func keys(_ store: any ObjectStore, prefix: String) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 1000)
            keys += page.objects.map(\.key)
            token = page.continuationToken
        } while token != nil
        return keys
    }
}
