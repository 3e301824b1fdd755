import Foundation
import FunctionRuntime
import Recommender
import Scheduler
import Storage

/// The CUPED covariate of an A/B experiment (Deng, Xu, Kohavi & Walker 2013): each exposed rider's own metric,
/// converted or not, over the `preWindowDays` days before their first exposure, read from the event log.
///
/// Measured before exposure, the covariate cannot depend on the arm, so adjusting by it removes variance without
/// bias. Riders are keyed by ``UserSet/hash(_:)`` because tallies never store ids.
///
/// Which segments are read. A segment lies in the folder of the UTC hour it was written, and an event is never
/// written more than a day before its timestamp: ingest refuses timestamps more than a day ahead of its clock (the
/// slack for senders' clock skew), and the same clock names the segment. So the events of a window starting at
/// `earliest first exposure − preWindowDays` lie in hour folders from that instant minus a day on; older folders
/// are neither listed nor read. There is no upper bound short of now: a late delivery (`POST /events` accepts any
/// past time) or `rideease events import` writes old events under the current hour. So folders are read up to
/// the later of the bundle's clock and the machine's (imports and `EventLog.append` name segments by the machine
/// clock), plus ``writerClockSkew`` for other instances' clocks. The cost is the pre-window, a day, and the
/// experiment's age so far, however long the history before it. Segments are fetched one at a time and parsed on
/// `Offload.cpu` (``EventLog/collect(from:_:)``), so the summary's task only waits.
///
/// Memory: one aggregate per rider with history, one segment's bytes, and the ids of the events that count.
/// Events are de-duplicated by `eventId` as ``EventLog`` does (first occurrence in key order wins), but among the
/// events that count only (a rider of the map, inside their window): keeping every id of the range would cost
/// 40 bytes per event of a busy month. A rider once counted as converted skips even that, as nothing changes them.
struct PreExposureCovariates: Sendable {
    /// One rider's covariate.
    struct Covariate: Sendable, Equatable {
        /// 1 when the rider had a conversion in their pre-window, else 0.
        var value: Double
        /// Whether the rider had any event (ride or conversion) in their pre-window; riders without are new to
        /// the service and counted apart by the CUPED estimate.
        var hasHistory: Bool

        static let noHistory = Covariate(value: 0, hasHistory: false)
    }

    /// The pre-windows an experiment may ask for: a day to a year.
    static let preWindowDaysRange = 1...365
    /// How far ahead of the ingesting clock an event's timestamp may be (``EventTimestampReader``'s slack).
    static let futureTimestampSlack: TimeInterval = 86_400
    /// How far another instance's clock may run ahead of this one's when it names a segment.
    static let writerClockSkew: TimeInterval = 3_600

    let store: any ObjectStore
    /// The bundle's clock; the machine's is consulted too, see the type's documentation.
    var clock: any WallClock = SystemWallClock()

    /// For every rider in `firstExposure` (hash → first exposure time), the covariate over
    /// [first − preWindowDays, first). Riders with no event in their pre-window get value 0, hasHistory false.
    func load(firstExposure: [UInt64: Date], preWindowDays: Int) async throws -> [UInt64: Covariate] {
        guard Self.preWindowDaysRange.contains(preWindowDays) else {
            throw FunctionError.invalidArgument(
                "preWindowDays must be between \(Self.preWindowDaysRange.lowerBound) and "
                    + "\(Self.preWindowDaysRange.upperBound), got \(preWindowDays)")
        }
        guard let earliest = firstExposure.values.min(), let latest = firstExposure.values.max() else { return [:] }
        let length = TimeInterval(preWindowDays) * 86_400
        let windows = firstExposure.mapValues { first in
            Window(start: first.timeIntervalSince1970 - length, end: first.timeIntervalSince1970)
        }
        let from = earliest.addingTimeInterval(-length - Self.futureTimestampSlack)
        let through = max(clock.now(), Date(), latest).addingTimeInterval(Self.writerClockSkew)
        let log = EventLog(store: store)
        var tally = Tally()
        var day = (from.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        while day <= through.timeIntervalSince1970 {
            try Task.checkCancellation()
            let dayEnd = Date(timeIntervalSince1970: day + 86_399)
            let dayStart = max(from, Date(timeIntervalSince1970: day))
            for segment in try await log.segments(writtenFrom: dayStart, through: min(through, dayEnd)) {
                let hits = try await log.collect(from: segment) { event -> Hit? in
                    let rider = UserSet.hash(event.userId)
                    guard let window = windows[rider], window.contains(event.timestamp) else { return nil }
                    return Hit(rider: rider, isConversion: event.type == .conversion, eventId: event.eventId)
                }
                // A segment removed since the listing (retention) holds nothing left to count.
                for hit in hits ?? [] { tally.add(hit) }
            }
            day += 86_400
        }
        return Dictionary(uniqueKeysWithValues: firstExposure.keys.map { ($0, tally.riders[$0] ?? .noHistory) })
    }

    /// A rider's pre-window, [start, end) in Unix seconds.
    private struct Window: Sendable {
        var start: TimeInterval
        var end: TimeInterval

        func contains(_ timestamp: Int64) -> Bool {
            let time = TimeInterval(timestamp)
            return time >= start && time < end
        }
    }

    /// An event that counts: a rider of the map, inside their window.
    private struct Hit: Sendable {
        var rider: UInt64
        var isConversion: Bool
        var eventId: String
    }

    /// The covariates of riders seen so far and the ids that made them.
    private struct Tally {
        var riders: [UInt64: Covariate] = [:]
        var seen = EventIdSet()

        mutating func add(_ hit: Hit) {
            let current = riders[hit.rider] ?? .noHistory
            guard current.value == 0, seen.insert(hit.eventId) else { return }
            riders[hit.rider] = Covariate(value: hit.isConversion ? 1 : current.value, hasHistory: true)
        }
    }
}
