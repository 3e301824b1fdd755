/// GrowthBook-compatible hashing (hash version 2), so assignments can be reproduced outside the service.
///
/// Source: the GrowthBook SDKs (`hash(seed, value, 2)` in the JS SDK, `gbhash` in the `growthbook` PyPI package):
/// `n = fnv1a32(String(fnv1a32(seed + value))) % 10000 / 10000`, where the inner hash is stringified as its
/// unsigned decimal representation and FNV-1a runs over the UTF-16 code units of the string (JavaScript's
/// `charCodeAt`), not over UTF-8 bytes. Never use `String.hashValue` here: it is seeded per process.
public enum GrowthBookHash {
    /// FNV-1a 32-bit offset basis (FNV spec, draft-eastlake-fnv).
    static let offsetBasis: UInt32 = 0x811C_9DC5
    /// FNV-1a 32-bit prime.
    static let prime: UInt32 = 0x0100_0193

    /// FNV-1a 32-bit over the UTF-16 code units of `string`, each code unit XOR-ed in whole (as JS does).
    public static func fnv1a32(_ string: String) -> UInt32 {
        var hash = offsetBasis
        for unit in string.utf16 {
            hash = (hash ^ UInt32(unit)) &* prime
        }
        return hash
    }

    /// The bucket in `[0, 1)` with 4 decimal places that GrowthBook's hash version 2 gives `value` under `seed`.
    public static func bucket(seed: String, value: String) -> Double {
        let inner = fnv1a32(seed + value)
        let outer = fnv1a32(String(inner))
        return Double(outer % 10_000) / 10_000
    }
}
