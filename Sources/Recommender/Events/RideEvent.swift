import Crypto
import Foundation

/// One event as RideEase stores it: a ride to a destination, or a conversion on a recommendation.
///
/// Events arrive as JSON (`POST /events`, Pub/Sub push, `rideease events import`), are validated one by one, and
/// are appended to `events/…` segments in this normalised form, one JSON object per line.
public struct RideEvent: Codable, Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A rider took a ride to `itemId`.
        case ride
        /// A rider chose `itemId` from the recommendations of request `requestId`.
        case conversion
    }

    /// Idempotency key: the sender's id, or a hash of the event's content when it sent none.
    public var eventId: String
    /// The kind of event.
    public var type: Kind
    /// The rider.
    public var userId: String
    /// The destination place.
    public var itemId: String
    /// When it happened, Unix seconds.
    public var timestamp: Int64
    /// Implicit-feedback strength (rides default to 1).
    public var weight: Float?
    /// The city, for per-city metrics.
    public var city: String?
    /// The pickup zone or other context.
    public var pickup: String?
    /// For conversions: the recommendation request the rider acted on.
    public var requestId: String?
    /// For conversions: the experiment of that request, filled from its trace (never taken from the sender).
    public var experimentId: String?
    /// For conversions: the variant of that request, filled from its trace (never taken from the sender).
    public var variant: String?
    /// Where `timestamp` came from when the sender gave none; absent (and absent in segments written before it
    /// existed) when the sender's own time is kept.
    public var timestampSource: TimestampSource?

    /// Where an event's time came from when it is not the sender's.
    public enum TimestampSource: String, Codable, Sendable {
        /// The time `POST /events` received it, as Segment and GA4 stamp events sent without one.
        case received
    }

    /// Creates an event; ``init(json:now:)`` is the validating entry point for input from outside.
    public init(
        eventId: String,
        type: Kind,
        userId: String,
        itemId: String,
        timestamp: Int64,
        weight: Float? = nil,
        city: String? = nil,
        pickup: String? = nil,
        requestId: String? = nil
    ) {
        self.eventId = eventId
        self.type = type
        self.userId = userId
        self.itemId = itemId
        self.timestamp = timestamp
        self.weight = weight
        self.city = city
        self.pickup = pickup
        self.requestId = requestId
    }

    /// The longest id accepted for users, items, events and requests.
    public static let maximumIdLength = 128

    /// The interaction this event contributes to training, if it is a ride.
    public var interaction: Interaction? {
        guard type == .ride else { return nil }
        return Interaction(userId: userId, itemId: itemId, timestamp: timestamp, weight: weight ?? 1, city: city)
    }
}

extension RideEvent {
    /// Validates a decoded JSON object and normalises it, or throws a message naming the field.
    ///
    /// - Parameters:
    ///   - now: events more than a day in the future are refused (a clock or unit mistake).
    ///   - timestamps: how numeric timestamps are read (unit fixed, or recognised by magnitude).
    ///   - receivedAt: when given, an event without a timestamp takes this time and is marked
    ///     ``TimestampSource/received`` (`POST /events`); when `nil` it is refused (imports).
    public init(
        json object: [String: Any], now: Date, timestamps: EventTimestampReader = .init(), receivedAt: Date? = nil
    ) throws(EventValidationError) {
        func text(_ key: String, required: Bool) throws(EventValidationError) -> String? {
            guard let value = object[key], !(value is NSNull) else {
                if required { throw EventValidationError("\(key) is required") }
                return nil
            }
            guard let string = value as? String else { throw EventValidationError("\(key) must be a string") }
            try Self.checkId(string, field: key)
            return string
        }
        let known: Set<String> = [
            "eventId", "type", "userId", "itemId", "timestamp", "weight", "city", "pickup", "requestId",
        ]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw EventValidationError("unknown field \"\(unknown)\"")
        }
        let typeName = try text("type", required: true)!
        guard let kind = Kind(rawValue: typeName) else {
            throw EventValidationError("type \"\(typeName)\" must be one of: ride, conversion")
        }
        type = kind
        userId = try text("userId", required: true)!
        itemId = try text("itemId", required: true)!
        city = try text("city", required: false)
        pickup = try text("pickup", required: false)
        requestId = try text("requestId", required: kind == .conversion)
        switch object["timestamp"] {
        case nil, is NSNull:
            guard let receivedAt else { throw EventValidationError("timestamp is required") }
            timestamp = Int64(receivedAt.timeIntervalSince1970.rounded(.down))
            timestampSource = .received
        case let number as NSNumber where !isJSONBoolean(number):
            timestamp = try timestamps.seconds(number: number.doubleValue, now: now)
        case let text as String:
            timestamp = try timestamps.seconds(text: Substring(text), now: now)
        default:
            throw EventValidationError("timestamp must be Unix time (a number) or an ISO-8601 string")
        }
        if let raw = object["weight"], !(raw is NSNull) {
            guard let number = raw as? NSNumber, !isJSONBoolean(raw) else { throw EventValidationError(Self.badWeight) }
            weight = try Self.checkedWeight(number.doubleValue)
        }
        eventId = ""
        eventId = try text("eventId", required: false) ?? contentHash()
    }

    /// A stable id from the content, so an event re-sent without an id is still recognised.
    ///
    /// A conversion stamped with its received time is identified without that time: a retry of the same
    /// conversion arrives a moment later and must still be recognised (its request id makes it unique).
    public func contentHash() -> String {
        let time = type == .conversion && timestampSource == .received ? "received" : String(timestamp)
        let canonical = [type.rawValue, userId, itemId, time, city ?? "", pickup ?? "", requestId ?? ""]
            .joined(separator: "\u{1F}")
        let digest = SHA256.hash(data: Data(canonical.utf8))
        // By table, not `String(format:)`: that took half the time of a 10M-row import.
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = Array("h-".utf8)
        text.reserveCapacity(34)
        for byte in digest.prefix(16) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static let badWeight = "weight must be a number greater than 0 and at most 1000"

    /// `value` as a weight, or the reason it is not one.
    static func checkedWeight(_ value: Double) throws(EventValidationError) -> Float {
        guard value.isFinite, value > 0, value <= 1000 else { throw EventValidationError(badWeight) }
        return Float(value)
    }

    /// Throws the message naming `field` when `id` is not an acceptable id.
    static func checkId(_ id: String, field: String) throws(EventValidationError) {
        guard isAcceptableId(id) else {
            throw EventValidationError(
                "\(field) must be 1-\(maximumIdLength) printable characters without control characters")
        }
    }

    /// Whether `id` is 1–128 characters with no control characters.
    public static func isAcceptableId(_ id: String) -> Bool {
        let utf8 = id.utf8
        // ASCII ids (nearly all) are one character per byte: no grapheme breaking or property lookups per request.
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return !utf8.isEmpty && utf8.count <= maximumIdLength && !utf8.contains { $0 < 0x20 || $0 == 0x7F }
        }
        return id.count <= maximumIdLength
            && !id.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{7F}" }
    }
}

/// Whether a decoded JSON value is `true`/`false`: on Linux `NSNumber(1) is Bool` holds, so the boolean's own
/// class is compared instead.
func isJSONBoolean(_ value: Any) -> Bool {
    if let number = value as? NSNumber { return type(of: number) == type(of: NSNumber(value: true)) }
    return value is Bool
}

/// Why one event was refused.
public struct EventValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason, naming the field.
    public var message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
}
