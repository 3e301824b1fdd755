import Experiments
import Foundation
import FunctionRuntime
import Recommender
import Storage

/// Replays logged traffic for a registered version: every trace of the window with its propensities becomes a
/// ``LoggedRequest`` (the shown list, the probability with which the serving policy showed each item there, and
/// which of them the rider then booked); the version's own list for the same rider is the target, and
/// ``ReplayEstimator`` weighs the logged conversions by how the two lists agree.
///
/// Reads the traces of the window hour by hour (`traces/<hour>/…`) and the conversions written from the window's
/// start until `now` (a conversion arrives after its request); a conversion counts for the (request, item) it
/// names, once however often it was sent. Cost: the window's traces and events, and one ranking per usable trace.
public struct ReplayEvaluation: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) { self.store = store }

    /// `7d`, `36h`: the window length in hours (1 hour to 90 days).
    public static func hours(parsing text: String) throws(ReplayInputError) -> Int {
        let unit = text.last
        guard let count = Int(text.dropLast()), count > 0, unit == "d" || unit == "h",
            case let hours = unit == "d" ? count * 24 : count, (1...2160).contains(hours)
        else { throw ReplayInputError("--window must be like 7d or 36h, from 1h to 90d, not \"\(text)\"") }
        return hours
    }

    /// The command line's entry: `version` and `window` as typed (`--version v0.2.0 --window 7d`).
    public func run(version text: String?, window: String, now: Date) async throws -> ReplayReport {
        guard let version = text.flatMap(ModelVersion.init) else {
            throw ReplayInputError("--replay needs --version naming a registered version, like v0.2.0")
        }
        return try await run(version: version, hours: try Self.hours(parsing: window), now: now)
    }

    /// Evaluates `version` on the traces of the `hours` before `now`, and keeps the report.
    public func run(
        version: ModelVersion, hours: Int, now: Date, excludeSeen: Bool = false
    ) async throws -> ReplayReport {
        let model = try await ModelRegistry(store: store).loadModel(version).1
        let start = now.addingTimeInterval(-3600 * Double(hours))
        let traces = try await self.traces(from: start, to: now)
        let converted = try await conversions(from: start, to: now)
        var requests: [LoggedRequest] = []
        var skipped: [String: Int] = [:]
        var online = (requests: 0, conversions: 0)
        for trace in traces {
            if trace.modelVersion == version.description, trace.interleaving == nil {
                online.requests += 1
                if trace.recommendations.contains(where: { converted.contains(Booking(trace.requestId, $0.itemId)) }) {
                    online.conversions += 1
                }
            }
            guard trace.policy != nil else {
                skipped["no propensities", default: 0] += 1
                continue
            }
            var slots: [LoggedSlot] = []
            for item in trace.recommendations {
                guard let propensity = item.propensity, propensity > 0 else { break }
                slots.append(
                    LoggedSlot(
                        item: item.itemId, propensity: propensity,
                        converted: converted.contains(Booking(trace.requestId, item.itemId))))
            }
            guard slots.count == trace.recommendations.count else {
                skipped["unknown propensity", default: 0] += 1
                continue
            }
            let target = model.recommendations(forUser: trace.userId, limit: slots.count, excludeSeen: excludeSeen)
            requests.append(LoggedRequest(slots: slots, target: target.items.map(\.itemId)))
        }
        let report = ReplayReport(
            version: version.description, windowStart: start, windowEnd: now, evaluatedAt: now, traces: traces.count,
            usable: requests.count, skipped: skipped, estimate: ReplayEstimator.estimate(requests),
            online: Self.rate(online.conversions, of: online.requests))
        try await store.put(
            ReplayReport.key(for: version.description), data: try JSONCoding.encoder.encode(report),
            precondition: .none)
        return report
    }

    /// The last replay of each version that has one.
    public func reports() async throws -> [String: ReplayReport] {
        var reports: [String: ReplayReport] = [:]
        var token: String?
        repeat {
            let page = try await store.list(prefix: "replays/", continuationToken: token, maxKeys: 1000)
            for object in page.objects {
                guard let data = try await store.get(object.key)?.data,
                    let report = try? JSONCoding.decoder.decode(ReplayReport.self, from: data)
                else { continue }
                reports[report.version] = report
            }
            token = page.continuationToken
        } while token != nil
        return reports
    }

    static func rate(_ conversions: Int, of requests: Int) -> ReplayReport.OnlineRate? {
        guard let counts = try? ConversionCounts(variant: "served", users: requests, conversions: conversions),
            case .value(let interval) = WilsonInterval.interval(for: counts)
        else { return nil }
        return ReplayReport.OnlineRate(
            requests: requests, conversions: conversions, rate: interval.estimate, lower: interval.lower,
            upper: interval.upper)
    }

    /// The traces written in the hours from `start`'s through `end`'s (and in the daily files of their days, once
    /// compacted), created in [start, end], each request once (a day being compacted holds it twice for a moment).
    private func traces(from start: Date, to end: Date) async throws -> [PredictionTrace] {
        var keys: [String] = []
        var hour = HourTally.hourStart(of: start)
        while hour <= end {
            var token: String?
            repeat {
                let page = try await store.list(
                    prefix: TraceLog.hourPrefix(hour), continuationToken: token, maxKeys: 1000)
                keys += page.objects.map(\.key)
                token = page.continuationToken
            } while token != nil
            hour = hour.addingTimeInterval(3600)
        }
        var day = Date(timeIntervalSince1970: (start.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        while day <= end {
            let dailies = try await CompactedSegmentLookup(store: store).dailyFiles(
                prefix: "traces", day: SegmentKey.day(of: day))
            keys += dailies.map(\.key)
            day = day.addingTimeInterval(86_400)
        }
        var traces: [PredictionTrace] = []
        var seen = Set<String>()
        for key in keys {
            guard let data = try await store.get(key)?.data else { continue }
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard let trace = try? JSONCoding.decoder.decode(PredictionTrace.self, from: Data(line)),
                    trace.createdAt >= start, trace.createdAt <= end, seen.insert(trace.requestId).inserted
                else { continue }
                traces.append(trace)
            }
        }
        return traces
    }

    /// The (request, item) pairs of the conversions written from `start` until `end`.
    private func conversions(from start: Date, to end: Date) async throws -> Set<Booking> {
        let log = EventLog(store: store)
        var bookings: Set<Booking> = []
        for segment in try await log.segments(writtenFrom: start, through: end) {
            let picked = try await log.collect(from: segment) { event -> Booking? in
                guard event.type == .conversion, let requestId = event.requestId else { return nil }
                return Booking(requestId, event.itemId)
            }
            bookings.formUnion(picked ?? [])
        }
        return bookings
    }
}

/// A rider booked `itemId` from the recommendations of `requestId`.
struct Booking: Hashable, Sendable {
    var requestId: String
    var itemId: String

    init(_ requestId: String, _ itemId: String) {
        self.requestId = requestId
        self.itemId = itemId
    }
}

/// A replay asked for with a missing version or a window that is not `<n>d` or `<n>h` within 1 hour to 90 days.
public struct ReplayInputError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
