import Foundation
import Offload
import Storage

extension EventLog {
    /// The event segments written in the UTC hours from `start`'s through `end`'s, in key order.
    ///
    /// Segments are named by the hour they were written (`events/<yyyy>/<mm>/<dd>/<hh>/…`), so a reader that needs
    /// only part of the log lists one day prefix per day of the range instead of the whole log: listing, like
    /// reading, then costs the range and not the history. Call it a day at a time to hold one day's listing.
    /// A compacted day's daily file (`events/<yyyy>/<mm>/<dd>/daily-<gen>.jsonl`) is included whenever the range
    /// overlaps that day, so callers filter events by their own times as they already must (a flush can lag).
    public func segments(writtenFrom start: Date, through end: Date) async throws -> [ObjectInfo] {
        guard start <= end else { return [] }
        // Zero-padded `yyyy/mm/dd/hh`: byte order is time order.
        let (first, last) = (SegmentWriter.hourFolder(of: start), SegmentWriter.hourFolder(of: end))
        var result: [ObjectInfo] = []
        var day = (start.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        while day <= end.timeIntervalSince1970 {
            let prefix = Self.prefix + SegmentWriter.hourFolder(of: Date(timeIntervalSince1970: day)).prefix(10) + "/"
            var token: String?
            repeat {
                let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 1000)
                result += page.objects.filter { object in
                    guard object.key.hasSuffix(".jsonl") else { return false }
                    // A daily file holds the whole day, and its key no hour: any overlap of the day includes it.
                    if case .daily = SegmentKey(object.key, prefix: "events")?.kind { return true }
                    let hour = object.key.dropFirst(Self.prefix.count).prefix(first.utf8.count)
                    return hour >= first && hour <= last
                }
                token = page.continuationToken
            } while token != nil
            day += 86_400
        }
        return result
    }

    /// What `pick` makes of each event of `segment`, in line order and not de-duplicated, or `nil` when the
    /// segment is gone (and not in its day's daily file either).
    ///
    /// The lines are parsed on ``Offload/cpu`` (a busy day's segments are seconds of parsing), canonical lines by
    /// the same fast scanner as ``events(in:)``, others by `JSONDecoder`; lines that are no event are skipped.
    /// Only what `pick` keeps leaves the pool, so a caller that aggregates holds one segment's bytes at a time.
    public func collect<Picked: Sendable>(
        from segment: ObjectInfo, _ pick: @escaping @Sendable (RideEvent) -> Picked?
    ) async throws -> [Picked]? {
        let data: Data
        if let object = try await store.get(segment.key) {
            data = object.data
        } else {
            // Compacted since it was listed (the daily file may not be in the caller's listing): read its range.
            var merged = CompactedSegmentLookup(store: store)
            guard case .found(let bytes) = try await merged.bytes(of: segment.key, etag: segment.etag) else {
                return nil
            }
            data = bytes
        }
        return await Offload.cpu.run { () -> [Picked] in
            var picked: [Picked] = []
            let decoder = JSONDecoder()
            data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                guard let base = raw.baseAddress else { return }
                var start = 0
                while start < raw.count {
                    let end =
                        memchr(base + start, Int32(UInt8(ascii: "\n")), raw.count - start)
                        .map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                    let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                    start = end + 1
                    guard !line.isEmpty else { continue }
                    guard
                        let event = CanonicalEventLine.decode(line)
                            ?? (try? decoder.decode(RideEvent.self, from: Data(line)))
                    else { continue }
                    if let kept = pick(event) { picked.append(kept) }
                }
            }
            return picked
        }
    }
}
