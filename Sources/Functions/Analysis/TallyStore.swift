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

    private struct Rollup: Codable {
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
        try await withThrowingTaskGroup(of: (Date, HourTally).self) { group in
            var pending = hours[...]
            var result: [Date: HourTally] = [:]
            func startNext() {
                guard let hour = pending.popFirst() else { return }
                group.addTask { (hour, try await readHour(hour, now: now)) }
            }
            for _ in 0..<Self.readConcurrency { startNext() }
            while let (hour, tally) = try await group.next() {
                result[hour] = tally
                startNext()
            }
            return result
        }
    }

    private func readHour(_ hour: Date, now: Date) async throws -> HourTally {
        let decoder = JSONCoding.decoder
        let rollup = try await store.get(rollupKey(hour: hour)).map { try decoder.decode(Rollup.self, from: $0.data) }
        let rolledUp = Set(rollup?.parts ?? [])
        let parts = try await listParts(hour).filter { !rolledUp.contains($0) }
        var tally = rollup?.tally ?? HourTally(hourStart: hour)
        let fetched = try await fetch(parts)
        for part in fetched { tally.merge(try decoder.decode(HourTally.self, from: part)) }
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
        guard !keys.isEmpty else { return [] }
        return try await withThrowingTaskGroup(of: Data?.self) { group in
            var pending = keys[...]
            var result: [Data] = []
            func startNext() {
                guard let key = pending.popFirst() else { return }
                group.addTask { try await store.get(key)?.data }
            }
            for _ in 0..<Self.readConcurrency { startNext() }
            while let data = try await group.next() {
                if let data { result.append(data) }
                startNext()
            }
            return result
        }
    }
}
