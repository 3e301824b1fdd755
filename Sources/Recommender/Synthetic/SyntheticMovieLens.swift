import Foundation

/// A MovieLens-100K-shaped implicit data set with planted structure, for benchmarks and tests (the real
/// file cannot be downloaded here).
///
/// Matches ML-100K's shape: 943 users, 1,682 items, ~100k interactions, every user with ≥ 20 items and a
/// log-normal activity tail, Zipf-like item popularity. Each user picks items without replacement with
/// probability ∝ exp(β·log popularity_i + u·v_i) (Gumbel-top-k sampling), where `u`, `v` are low-rank
/// latent tastes, so a factor model can recover what popularity alone cannot. Timestamps are a random
/// order per user, like rating sessions, so the held-out item is not predictable from order.
public struct SyntheticMovieLens: Sendable {
    /// Number of users (ML-100K: 943).
    public var users: Int = 943
    /// Number of items (ML-100K: 1,682).
    public var items: Int = 1_682
    /// Target total interactions (ML-100K: 100,000).
    public var interactions: Int = 100_000
    /// Rank of the planted taste structure.
    public var latentDimensions: Int = 12
    /// Standard deviation of `u·v` — the strength of personal taste relative to popularity.
    public var tasteStrength: Double = 1.5
    /// Zipf exponent `s` of item popularity (rank^−s).
    public var popularityExponent: Double = 1.0
    /// Minimum items per user (ML-100K: 20).
    public var minimumPerUser: Int = 20
    /// Seed; the data set is a pure function of these fields.
    public var seed: UInt64 = 100_000

    public init(seed: UInt64 = 100_000) { self.seed = seed }

    /// Generates the interactions (user ids `u0001`…, item ids `i0001`…).
    public func generate() -> [Interaction] {
        var random = SeededGenerator(seed: seed)
        let rank = latentDimensions
        let scale = tasteStrength / Double(rank).squareRoot()
        var popularityRank = Array(1...items)
        popularityRank.shuffle(using: &random)
        let logPopularity = popularityRank.map { -popularityExponent * log(Double($0)) }
        let itemTastes = (0..<(items * rank)).map { _ in random.nextGaussian() }
        // Log-normal activity above the minimum, rescaled to the target total.
        let raw = (0..<users).map { _ in exp(3.6 + 1.0 * random.nextGaussian()) }
        let budget = Double(max(interactions - users * minimumPerUser, 0))
        let total = raw.reduce(0, +)
        let cap = items / 2
        var result: [Interaction] = []
        result.reserveCapacity(interactions + users)
        var keys = [Double](repeating: 0, count: items)
        for user in 0..<users {
            let count = min(cap, minimumPerUser + Int((raw[user] / total * budget).rounded()))
            let taste = (0..<rank).map { _ in random.nextGaussian() * scale }
            for item in 0..<items {
                var affinity = logPopularity[item]
                for d in 0..<rank { affinity += taste[d] * itemTastes[item * rank + d] }
                let uniform = max(random.nextUnit(), 0x1p-60)
                keys[item] = affinity - log(-log(uniform))  // Gumbel-max trick, repeated = sampling w/o replacement
            }
            var chosen = Array(keys.indices.sorted { keys[$0] > keys[$1] }.prefix(count))
            chosen.shuffle(using: &random)
            let userId = "u" + Self.padded(user + 1)
            let start: Int64 = 874_724_710 + Int64(random.nextInt(below: 200 * 86_400))
            for (order, item) in chosen.enumerated() {
                result.append(
                    Interaction(
                        userId: userId, itemId: "i" + Self.padded(item + 1),
                        timestamp: start + Int64(order) * 60))
            }
        }
        return result
    }

    static func padded(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
