import Crypto
import Foundation
import Storage

/// The ids of stored events, kept compact so an import can skip what the store already holds.
///
/// Each id is kept as 16 bytes: a content-hash id (`h-` and 32 hex digits) is those bytes, any other id its
/// SHA-256 truncated to 128 bits, so a collision is out of reach (2^-64 at 10^10 ids). That is about 40 bytes per
/// event in a `Set` (16 and the table's slack), 80 MB for 2 M events, against about 200 for the ids as `String`s.
public struct EventIdSet: Sendable {
    private struct Key: Hashable, Sendable {
        var high: UInt64
        var low: UInt64
    }

    private var keys = Set<Key>()

    /// An empty set.
    public init() {}

    /// How many ids it holds.
    public var count: Int { keys.count }

    /// Adds `id`; `false` when it was already there.
    @discardableResult
    public mutating func insert(_ id: String) -> Bool {
        keys.insert(Self.key(id)).inserted
    }

    /// Whether `id` is in the set.
    public func contains(_ id: String) -> Bool {
        keys.contains(Self.key(id))
    }

    /// The ids of every event in `store`'s segments, read one segment at a time.
    public static func stored(in store: any ObjectStore) async throws -> EventIdSet {
        var set = EventIdSet()
        let log = EventLog(store: store)
        let decoder = JSONDecoder()
        for segment in try await log.segments() {
            guard let object = try await store.get(segment.key) else { continue }
            for line in object.data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                if let id = quickId(line) {
                    set.insert(id)
                } else if let event = try? decoder.decode(RideEvent.self, from: Data(line)) {
                    set.insert(event.eventId)
                }
            }
        }
        return set
    }

    /// The `eventId` of a stored line without decoding it all (a store of millions is read at every import);
    /// `nil` when the id holds an escape, for the full decoder to read.
    static func quickId(_ line: Data) -> String? {
        let marker = Array(#""eventId":""#.utf8)
        guard let range = line.firstRange(of: marker) else { return nil }
        guard let end = line[range.upperBound...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        let id = line[range.upperBound..<end]
        guard !id.contains(UInt8(ascii: "\\")) else { return nil }
        return String(decoding: id, as: UTF8.self)
    }

    private static func key(_ id: String) -> Key {
        let utf8 = id.utf8
        if utf8.count == 34, id.hasPrefix("h-") {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var valid = true
            for (offset, byte) in utf8.dropFirst(2).enumerated() {
                guard let nibble = hexValue(byte) else {
                    valid = false
                    break
                }
                if offset < 16 { high = high << 4 | nibble } else { low = low << 4 | nibble }
            }
            if valid { return Key(high: high, low: low) }
        }
        let digest = Array(SHA256.hash(data: Array(utf8)))
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(digest[index])
            low = low << 8 | UInt64(digest[index + 8])
        }
        return Key(high: high, low: low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt64(byte - UInt8(ascii: "a") + 10)
        default: nil
        }
    }
}
