import Foundation

extension RideEvent {
    /// The event as one JSON line (without the newline) in the canonical form RideEase stores: `JSONEncoder`
    /// with sorted keys, written directly for plain events (writing millions of simulated rides).
    public func canonicalLine() throws -> Data {
        if let line = CanonicalEventLine.encode(self) { return Data(line) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(self)
    }
}

/// A fast reader for the one form RideEase writes event lines in: `JSONEncoder` with sorted keys, no
/// whitespace, plain ASCII strings without escapes, integer timestamp and no weight.
///
/// Decoding ten million lines with `JSONDecoder` costs minutes; this scanner reads such a line in one pass.
/// It accepts only lines whose bytes are exactly what `JSONEncoder` (`.sortedKeys`) emits for the event it
/// returns, so the raw bytes can be hashed as the event's canonical form. Anything else (escapes, non-ASCII,
/// a weight, unknown or unordered keys) returns nil and the caller falls back to `JSONDecoder`.
enum CanonicalEventLine {
    /// The keys of a ``RideEvent`` in sorted order (the order `.sortedKeys` writes them).
    private static let keys: [[UInt8]] = [
        "city", "eventId", "experimentId", "itemId", "pickup", "requestId", "timestamp", "type", "userId", "variant",
    ].map { Array($0.utf8) }

    /// The canonical line of `event` (what `JSONEncoder` with `.sortedKeys` writes), or nil when it has a weight,
    /// a timestamp source or a string that would need escaping (encode those with `JSONEncoder`).
    static func encode(_ event: RideEvent) -> [UInt8]? {
        guard event.weight == nil, event.timestampSource == nil else { return nil }
        let strings: [String?] = [
            event.city, event.eventId, event.experimentId, event.itemId, event.pickup, event.requestId, nil,
            event.type.rawValue, event.userId, event.variant,
        ]
        var line: [UInt8] = [UInt8(ascii: "{")]
        line.reserveCapacity(160)
        for (key, name) in keys.enumerated() {
            let value: [UInt8]
            if key == 6 {
                value = Array(String(event.timestamp).utf8)
            } else {
                guard let string = strings[key] else { continue }
                guard string.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C && $0 != 0x2F })
                else { return nil }
                value = [0x22] + Array(string.utf8) + [0x22]
            }
            if line.count > 1 { line.append(UInt8(ascii: ",")) }
            line.append(0x22)
            line += name
            line += [0x22, UInt8(ascii: ":")]
            line += value
        }
        line.append(UInt8(ascii: "}"))
        return line
    }

    /// The event of a canonical line, or nil when the line is not in the canonical form.
    static func decode(_ line: UnsafeRawBufferPointer) -> RideEvent? {
        let bytes = line.bindMemory(to: UInt8.self)
        var scanner = Scanner(bytes: bytes)
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var strings = [String?](repeating: nil, count: keys.count)
        var timestamp: Int64?
        var lastKey = -1
        repeat {
            guard let keyRange = scanner.string(), let key = index(of: keyRange, in: bytes), key > lastKey,
                scanner.take(UInt8(ascii: ":"))
            else { return nil }
            lastKey = key
            if key == 6 {
                guard let value = scanner.integer() else { return nil }
                timestamp = value
            } else {
                guard let range = scanner.string() else { return nil }
                strings[key] = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            }
        } while scanner.take(UInt8(ascii: ","))
        guard scanner.take(UInt8(ascii: "}")), scanner.atEnd, let timestamp, let eventId = strings[1],
            let typeName = strings[7], let type = RideEvent.Kind(rawValue: typeName), let itemId = strings[3],
            let userId = strings[8]
        else { return nil }
        var event = RideEvent(
            eventId: eventId, type: type, userId: userId, itemId: itemId, timestamp: timestamp, city: strings[0],
            pickup: strings[4], requestId: strings[5])
        event.experimentId = strings[2]
        event.variant = strings[9]
        return event
    }

    private static func index(of range: Range<Int>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        keys.firstIndex { key in
            key.count == range.count
                && key.withUnsafeBufferPointer { k in
                    var equal = true
                    for offset in 0..<k.count where k[offset] != bytes[range.lowerBound + offset] {
                        equal = false
                        break
                    }
                    return equal
                }
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        /// The content range of a string made of printable ASCII other than `"`, `\` and `/` (which
        /// `JSONEncoder` would escape), or nil.
        mutating func string() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return start..<(position - 1)
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\"), byte != UInt8(ascii: "/") else {
                    return nil
                }
                position += 1
            }
            return nil
        }

        /// A JSON integer as `JSONEncoder` writes one: optional minus, no leading zeros, at most 18 digits.
        mutating func integer() -> Int64? {
            let negative = take(UInt8(ascii: "-"))
            let start = position
            var value: Int64 = 0
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                value = value * 10 + Int64(bytes[position] - 0x30)
                position += 1
            }
            let digits = position - start
            guard digits > 0, digits <= 18, digits == 1 || bytes[start] != 0x30, !(negative && value == 0) else {
                return nil
            }
            return negative ? -value : value
        }
    }
}
