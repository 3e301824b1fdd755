import Foundation

/// A set of riders, kept as 64-bit hashes of their ids so that experiment tallies never store a user id.
///
/// FNV-1a/64 over the id's UTF-8: at a million riders the chance of any collision is about 3·10⁻⁸, far below
/// anything the statistics can see. Encoded as base64 of the sorted hashes (little-endian), about 11 bytes per
/// rider instead of a JSON string each, which keeps an hour of a busy experiment small to read.
struct UserSet: Sendable, Equatable {
    private(set) var hashes: Set<UInt64>

    init() { hashes = [] }

    init(_ hashes: Set<UInt64>) { self.hashes = hashes }

    var count: Int { hashes.count }

    mutating func insert(userId: String) { hashes.insert(Self.hash(userId)) }

    mutating func formUnion(_ other: UserSet) { hashes.formUnion(other.hashes) }

    func intersectionCount(_ other: UserSet) -> Int {
        let (small, large) = count <= other.count ? (hashes, other.hashes) : (other.hashes, hashes)
        return small.reduce(0) { large.contains($1) ? $0 + 1 : $0 }
    }

    static func hash(_ userId: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in userId.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}

extension UserSet: Codable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let data = Data(base64Encoded: try container.decode(String.self)), data.count % 8 == 0 else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "a user set is base64 of 8-byte little-endian hashes")
        }
        var hashes = Set<UInt64>(minimumCapacity: data.count / 8)
        data.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: 8) {
                hashes.insert(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            }
        }
        self.hashes = hashes
    }

    func encode(to encoder: any Encoder) throws {
        var data = Data(capacity: hashes.count * 8)
        // Sorted, so the same set always encodes to the same bytes (stable rollups and checksums).
        for hash in hashes.sorted() { withUnsafeBytes(of: hash.littleEndian) { data.append(contentsOf: $0) } }
        var container = encoder.singleValueContainer()
        try container.encode(data.base64EncodedString())
    }
}
