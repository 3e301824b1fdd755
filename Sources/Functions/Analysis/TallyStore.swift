import Foundation
import FunctionRuntime
import Storage

/// Where experiment tallies live and how an hour of them is read back.
///
/// Layout, per experiment:
/// - parts: `experiments/<id>/tallies/<yyyy>/<mm>/<dd>/<hh>/<writer>-<seq>.json` — one ``HourTally`` each, written
///   create-only by ``TallyWriter`` every few seconds per instance;
/// - rollups: `experiments/<id>/hourly/<yyyy>/<mm>/<dd>/<hh>.json` — the merge of an hour's parts, written once
///   by the first reader after the hour has settled, listing the parts it holds.
///
/// A reader lists an hour's parts, takes its rollup if there is one, and reads only the parts the rollup does not
/// list (parts that arrived late, after a store outage). So a day is 24 rollups plus the current hour's parts,
/// whatever the traffic: this is what keeps the summary fast at a million requests a day.
struct TallyStore: Sendable {
    /// An hour is rolled up this long after it ends: writers flush every few seconds, so parts have landed by then.
    static let settleTime: TimeInterval = 600
    /// Parallel reads against the store.
    static let readConcurrency = 16

    let store: any ObjectStore
    let experimentId: String

    /// An hour's merged tally and the parts it holds (internal for ``TallyErasure``, which rewrites it).
    struct Rollup: Codable {
        var tally: HourTally
        var parts: [String]
    }

    func partPrefix(hour: Date) -> String {
        "experiments/\(experimentId)/tallies/\(SegmentWriter.hourFolder(of: hour))/"
    }

    func rollupKey(hour: Date) -> String {
        "experiments/\(experimentId)/hourly/\(SegmentWriter.hourFolder(of: hour)).json"
    }

    /// Writes one part; the name is unique to the writer, so create-only never conflicts.
    func write(_ tally: HourTally, writerID: String, sequence: Int) async throws {
        let key = partPrefix(hour: tally.hourStart) + "\(writerID)-\(SegmentWriter.zeroPadded(sequence, width: 8)).json"
        try await store.put(key, data: try JSONCoding.encoder.encode(tally), precondition: .ifNoneMatch)
    }

    /// The merged tallies of `hours` (hour starts), rolling up hours that have settled by `now`.
    func read(hours: [Date], now: Date) async throws -> [Date: HourTally] {
        let tallies = try await Self.concurrently(hours) { hour in (hour, try await readHour(hour, now: now)) }
        return Dictionary(tallies) { first, _ in first }
    }

    /// `transform` over `items`, at most ``readConcurrency`` at a time; results in completion order.
    private static func concurrently<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ transform: @escaping @Sendable (Item) async throws -> Result
    ) async throws -> [Result] {
        try await withThrowingTaskGroup(of: Result.self) { group in
            var pending = items[...]
            var results: [Result] = []
            func startNext() {
                guard let item = pending.popFirst() else { return }
                group.addTask { try await transform(item) }
            }
            for _ in 0..<readConcurrency { startNext() }
            while let result = try await group.next() {
                results.append(result)
                startNext()
            }
            return results
        }
    }

    private func readHour(_ hour: Date, now: Date) async throws -> HourTally {
        let decoder = JSONCoding.decoder
        let rollup = try await store.get(rollupKey(hour: hour)).map { try decoder.decode(Rollup.self, from: $0.data) }
        let rolledUp = Set(rollup?.parts ?? [])
        let parts = try await listParts(hour).filter { !rolledUp.contains($0) }
        let fetched = try await fetch(parts).map { try decoder.decode(HourTally.self, from: $0) }
        let tally = HourTally.merging((rollup.map { [$0.tally] } ?? []) + fetched, hourStart: hour)
        if rollup == nil, !parts.isEmpty, hour.addingTimeInterval(3600 + Self.settleTime) < now {
            await writeRollup(Rollup(tally: tally, parts: parts), hour: hour)
        }
        return tally
    }

    /// Best effort: another reader may have written the same rollup first, and a failure only costs speed.
    private func writeRollup(_ rollup: Rollup, hour: Date) async {
        guard let data = try? JSONCoding.encoder.encode(rollup) else { return }
        _ = try? await store.put(rollupKey(hour: hour), data: data, precondition: .ifNoneMatch)
    }

    private func listParts(_ hour: Date) async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: partPrefix(hour: hour), continuationToken: token, maxKeys: 1000)
            keys += page.objects.map(\.key)
            token = page.continuationToken
        } while token != nil
        return keys
    }

    private func fetch(_ keys: [String]) async throws -> [Data] {
        try await Self.concurrently(keys) { key in try await store.get(key)?.data }.compactMap { $0 }
    }
}
