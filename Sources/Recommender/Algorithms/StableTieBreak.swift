/// A seeded hash of `(user id, item id)` that orders tied interactions and tied scores the same way in every
/// process and on every platform, without depending on how ids are spelled.
///
/// Ordering ties by the id text made the held-out item the one whose id sorts last ("99" after "1000"), so the
/// offline metric moved with the naming scheme of a log. A hash of the pair is unrelated to spelling, so among
/// ties it picks like a fixed random draw per user. `String.hashValue` cannot serve: Swift seeds it per process.
/// FNV-1a 64 over the UTF-8 bytes of each id, combined and finished with the SplitMix64 mixer.
public enum StableTieBreak {
    /// The fixed seed (any constant works; changing it changes which tied item is held out).
    public static let seed: UInt64 = 0x5249_4445_4541_5345  // "RIDEEASE"

    /// FNV-1a 64 of the id's UTF-8 bytes.
    public static func idHash(_ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The tie-break key of a pair, from the ids' ``idHash(_:)`` values (precomputed when ranking many items).
    @inline(__always)
    public static func key(userHash: UInt64, itemHash: UInt64) -> UInt64 {
        var z = seed &+ userHash &+ (itemHash &* 0x9e37_79b9_7f4a_7c15)
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The tie-break key of `(userId, itemId)`.
    public static func key(userId: String, itemId: String) -> UInt64 {
        key(userHash: idHash(userId), itemHash: idHash(itemId))
    }
}
