@testable import Recommender

/// Small hand-made and planted data sets shared by the suites.
enum Fixtures {
    /// Interactions from compact `(user, item, time)` triples.
    static func interactions(_ triples: [(String, String, Int64)]) -> [Interaction] {
        triples.map { Interaction(userId: $0.0, itemId: $0.1, timestamp: $0.2) }
    }

    /// A planted low-rank problem: `groups` taste groups, each liking its own block of items with a
    /// within-block popularity skew; every user samples `perUser` items of their block plus one random
    /// "noise" item. A factor model should recover the blocks; global popularity cannot.
    static func planted(
        users: Int = 240, items: Int = 160, groups: Int = 4, perUser: Int = 12, seed: UInt64 = 11
    ) -> [Interaction] {
        var random = SeededGenerator(seed: seed)
        let block = items / groups
        let target = min(perUser, block / 2)  // a block must hold more than one user's picks
        var result: [Interaction] = []
        for user in 0..<users {
            let group = user % groups
            var chosen = Set<Int>()
            while chosen.count < target {
                // Squaring a uniform skews picks toward the start of the block (popular items).
                let offset = Int(random.nextUnit() * random.nextUnit() * Double(block))
                chosen.insert(group * block + offset)
            }
            chosen.insert(random.nextInt(below: items))
            for (order, item) in chosen.sorted().shuffled(using: &random).enumerated() {
                result.append(
                    Interaction(
                        userId: "user-\(1000 + user)", itemId: "item-\(1000 + item)", timestamp: Int64(order),
                        city: group % 2 == 0 ? "lisbon" : "porto"))
            }
        }
        return result
    }
}
