import Foundation

/// A set of riders, kept as sorted 64-bit hashes of their ids so that experiment tallies never store a user id.
///
/// FNV-1a/64 over the id's UTF-8: at a million riders the chance of any collision is about 3·10⁻⁸, far below
/// anything the statistics can see. Encoded as base64 of the sorted hashes (little-endian), about 11 bytes per
/// rider instead of a JSON string each, which keeps an hour of a busy experiment small to read.
struct UserSet: Sendable, Equatable {
    /// Sorted and unique: unions and intersections are linear merges, and decoding is a copy.
    private(set) var hashes: [UInt64]

    init() { hashes = [] }

    init(hashes: some Sequence<UInt64>) { self.hashes = Set(hashes).sorted() }

    init(userIds: some Sequence<String>) { self.init(hashes: userIds.map(Self.hash)) }

    private init(sortedUnique: [UInt64]) { hashes = sortedUnique }

    /// The union of many sets at once: one sort instead of a merge per set, which matters for the hundreds of
    /// parts an hour of a busy experiment has.
    init(unionOf sets: [UserSet]) {
        guard sets.count > 1 else {
            self = sets.first ?? UserSet()
            return
        }
        var all: [UInt64] = []
        all.reserveCapacity(sets.reduce(0) { $0 + $1.count })
        for set in sets { all.append(contentsOf: set.hashes) }
        all.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(all.count)
        for hash in all where hash != unique.last { unique.append(hash) }
        hashes = unique
    }

    var count: Int { hashes.count }

    /// Removes one rider's hash (a rider erasure); returns whether it was there.
    @discardableResult
    mutating func remove(_ hash: UInt64) -> Bool {
        var low = 0
        var high = hashes.count
        while low < high {
            let middle = (low + high) / 2
            if hashes[middle] < hash { low = middle + 1 } else { high = middle }
        }
        guard low < hashes.count, hashes[low] == hash else { return false }
        hashes.remove(at: low)
        return true
    }

    mutating func formUnion(_ other: UserSet) {
        guard !other.hashes.isEmpty else { return }
        guard !hashes.isEmpty else { return hashes = other.hashes }
        var merged: [UInt64] = []
        merged.reserveCapacity(hashes.count + other.hashes.count)
        var (i, j) = (0, 0)
        while i < hashes.count && j < other.hashes.count {
            let (a, b) = (hashes[i], other.hashes[j])
            merged.append(min(a, b))
            if a <= b { i += 1 }
            if b <= a { j += 1 }
        }
        merged.append(contentsOf: hashes[i...])
        merged.append(contentsOf: other.hashes[j...])
        hashes = merged
    }

    func intersectionCount(_ other: UserSet) -> Int {
        var (i, j, count) = (0, 0, 0)
        while i < hashes.count && j < other.hashes.count {
            let (a, b) = (hashes[i], other.hashes[j])
            if a == b { count += 1 }
            if a <= b { i += 1 }
            if b <= a { j += 1 }
        }
        return count
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
        var hashes: [UInt64] = []
        hashes.reserveCapacity(data.count / 8)
        data.withUnsafeBytes { raw in
            for offset in stride(from: 0, to: raw.count, by: 8) {
                hashes.append(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            }
        }
        // Written sorted and unique; re-establish it only for objects that are not.
        let isSortedUnique = zip(hashes, hashes.dropFirst()).allSatisfy { $0 < $1 }
        self = isSortedUnique ? UserSet(sortedUnique: hashes) : UserSet(hashes: hashes)
    }

    func encode(to encoder: any Encoder) throws {
        var data = Data(capacity: hashes.count * 8)
        // Sorted, so the same set always encodes to the same bytes (stable rollups and checksums).
        for hash in hashes { withUnsafeBytes(of: hash.littleEndian) { data.append(contentsOf: $0) } }
        var container = encoder.singleValueContainer()
        try container.encode(data.base64EncodedString())
    }
}
