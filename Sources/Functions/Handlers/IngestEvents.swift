import Foundation
import FunctionRuntime
import Recommender
import Scheduler
import Storage
import Synchronization

/// `POST /events`: a batch of ride and conversion events, or a Pub/Sub push envelope carrying one.
///
/// Events are validated one by one (a bad one is reported by its index, good ones are kept), de-duplicated by
/// `eventId`, appended to `events/` segments, and acknowledged only after the segment is written: a 2xx means
/// durable. Storage trouble answers 503 so Pub/Sub redelivers; readers drop the duplicates that causes. An event
/// without a timestamp takes the time it was received (a Pub/Sub message's `publishTime`), as Segment and GA4 do,
/// and is stored with `"timestampSource":"received"`.
struct IngestEvents: FunctionHandler {
    static let maximumBatch = 1000

    let writer: SegmentWriter
    let clock: any WallClock
    let serving: ServingContext
    let recent = RecentIds(capacity: 200_000)

    struct Rejection: Encodable, Equatable {
        var index: Int
        var error: String
    }

    struct Receipt: Encodable {
        var accepted: Int
        var duplicates: Int
        var rejected: [Rejection]
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let (items, isPubSub, publishTime) = try Self.unwrap(request.body)
        guard items.count <= Self.maximumBatch else {
            throw FunctionError.invalidArgument("a batch holds at most \(Self.maximumBatch) events, not \(items.count)")
        }
        let now = clock.now()
        // A Pub/Sub message is stamped when it was published, so a redelivery hours later is the same event.
        let receivedAt = publishTime.flatMap { $0 <= now ? $0 : nil } ?? now
        var receipt = Receipt(accepted: 0, duplicates: 0, rejected: [])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (index, item) in items.enumerated() {
            guard let object = item as? [String: Any] else {
                receipt.rejected.append(Rejection(index: index, error: "an event must be a JSON object"))
                continue
            }
            do {
                var event = try RideEvent(json: object, now: now, receivedAt: receivedAt)
                guard recent.insert(event.eventId) else {
                    receipt.duplicates += 1
                    continue
                }
                if event.type == .conversion { await attribute(&event, context: context) }
                guard try writer.append(event, encoder: encoder) else {
                    throw FunctionError.unavailable("the event buffer is full; retry later", retryAfterSeconds: 5)
                }
                receipt.accepted += 1
            } catch let error as EventValidationError {
                receipt.rejected.append(Rejection(index: index, error: error.message))
            }
        }
        // Flush even when everything was a duplicate: the first copy may still sit in the buffer after a failed
        // flush, and a 2xx must mean durable.
        if receipt.accepted + receipt.duplicates > 0 {
            do {
                try await writer.flush()
            } catch {
                context.logger.warning("event flush failed", metadata: ["error": "\(error)"])
                throw FunctionError.unavailable("events are buffered but not yet durable; retry", retryAfterSeconds: 5)
            }
        }
        if !receipt.rejected.isEmpty {
            context.logger.info(
                "events rejected",
                metadata: ["rejected": "\(receipt.rejected.count)", "first": "\(receipt.rejected[0].error)"]
            )
        }
        // Pub/Sub redelivers anything but a 2xx: a malformed message is acknowledged (and logged), not retried forever.
        let allRejected = !items.isEmpty && receipt.accepted == 0 && receipt.duplicates == 0
        return try .json(receipt, status: allRejected && !isPubSub ? 400 : 200)
    }

    /// Records the experiment and variant of the request a conversion names, from its trace, and counts it for
    /// that experiment (under interleaving, for the arm that placed the chosen item).
    private func attribute(_ event: inout RideEvent, context: FunctionContext) async {
        guard let requestId = event.requestId, RequestID.timestamp(of: requestId) != nil else { return }
        do {
            guard let trace = try await serving.traces.find(requestId), trace.userId == event.userId else { return }
            event.experimentId = trace.experimentId
            event.variant = trace.variant
            serving.metrics.converted(experimentId: trace.experimentId, variant: trace.variant)
            let at = Date(timeIntervalSince1970: TimeInterval(event.timestamp))
            if trace.interleaving != nil {
                // The arm that placed the item the rider chose; an item not in the list credits no one.
                guard let arm = trace.recommendations.first(where: { $0.itemId == event.itemId })?.arm else { return }
                serving.tallies.credit(experimentId: trace.experimentId, userId: event.userId, arm: arm, at: at)
            } else {
                serving.tallies.conversion(
                    experimentId: trace.experimentId, userId: event.userId, variant: trace.variant, at: at)
            }
        } catch {
            serving.metrics.storageError(operation: "lookup")
            context.logger.warning("conversion not attributed", metadata: ["error": "\(error)"])
        }
    }

    /// The events of a body: `{"events":[…]}`, a bare array, one event, or a Pub/Sub push envelope of those.
    static func unwrap(_ body: Data) throws(FunctionError) -> (items: [Any], isPubSub: Bool, publishTime: Date?) {
        guard let root = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            throw .invalidArgument("request body is not valid JSON")
        }
        if let envelope = root as? [String: Any], let message = envelope["message"] as? [String: Any] {
            guard let encoded = message["data"] as? String, let data = Data(base64Encoded: encoded) else {
                throw .invalidArgument("message.data must be base64-encoded JSON")
            }
            guard let inner = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
                throw .invalidArgument("message.data does not decode to JSON")
            }
            let publishTime = (message["publishTime"] as? String).flatMap { text in
                (try? EventTimestampReader().seconds(text: Substring(text), now: .distantFuture))
                    .map { Date(timeIntervalSince1970: TimeInterval($0)) }
            }
            return (try items(of: inner), true, publishTime)
        }
        return (try items(of: root), false, nil)
    }

    private static func items(of root: Any) throws(FunctionError) -> [Any] {
        if let array = root as? [Any] { return array }
        if let object = root as? [String: Any] {
            if let events = object["events"] {
                guard let array = events as? [Any] else { throw .invalidArgument("events must be an array") }
                return array
            }
            return [object]
        }
        throw .invalidArgument("request body must be {\"events\": [...]}, an array of events, or one event")
    }
}

/// The event ids seen recently by this process, for answering `duplicates` without a store round trip.
///
/// Bounded: the oldest ids are forgotten first. Readers de-duplicate by id anyway, so forgetting only costs an
/// extra stored line.
final class RecentIds: Sendable {
    private struct State {
        var ids: Set<String> = []
        var order: [String] = []
        var head = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = capacity }

    /// Whether `id` was new (and is now remembered).
    func insert(_ id: String) -> Bool {
        state.withLock { state in
            guard state.ids.insert(id).inserted else { return false }
            if state.order.count < capacity {
                state.order.append(id)
            } else {
                state.ids.remove(state.order[state.head])
                state.order[state.head] = id
                state.head = (state.head + 1) % capacity
            }
            return true
        }
    }
}
