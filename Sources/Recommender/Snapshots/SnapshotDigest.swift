import Crypto
import Foundation

/// The content address of a set of events, accumulated one event at a time in any order.
///
/// Each distinct event contributes the SHA-256 of its canonical line (the `JSONEncoder` `.sortedKeys` encoding,
/// which is also how RideEase writes it); the digests are added lane-wise modulo 2⁶⁴ and the count is kept, so
/// the result is the same for the same events whatever their order or segmentation, in linear time and without
/// sorting or holding the lines. (An additive multiset hash is not collision-resistant against someone crafting
/// events on purpose; it addresses content, it does not authenticate it.)
struct SnapshotDigest {
    private var lanes = SIMD4<UInt64>()
    private(set) var count = 0

    /// Adds one event by its canonical line bytes (without the newline).
    mutating func add(canonicalLine bytes: UnsafeRawBufferPointer) {
        let digest = SHA256.hash(data: bytes)
        digest.withUnsafeBytes { raw in
            lanes &+= raw.loadUnaligned(as: SIMD4<UInt64>.self)
        }
        count += 1
    }

    /// Adds one event by encoding it canonically (the slow path, for lines not already canonical).
    mutating func add(_ event: RideEvent, encoder: JSONEncoder) {
        let data = (try? encoder.encode(event)) ?? Data()
        data.withUnsafeBytes { add(canonicalLine: $0) }
    }

    /// `snap-` and 16 hex digits.
    var id: String {
        var hasher = SHA256()
        hasher.update(data: Data("rideease-snapshot-v2\n\(count)\n".utf8))
        withUnsafeBytes(of: lanes.littleEndianLanes) { hasher.update(bufferPointer: $0) }
        return "snap-" + hasher.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The encoder whose output is the canonical line.
    static func canonicalEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

extension SIMD4<UInt64> {
    /// The lanes in little-endian byte order, so the id is the same on every platform.
    fileprivate var littleEndianLanes: SIMD4<UInt64> {
        SIMD4(self[0].littleEndian, self[1].littleEndian, self[2].littleEndian, self[3].littleEndian)
    }
}
