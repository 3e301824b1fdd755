import Testing

@testable import Experiments

@Suite("Team-draft propensities")
struct TeamDraftPropensitiesTests {
    /// Every sequence of `limit` coins (no draft has more contested rounds than slots), each with probability
    /// 2^−limit: the distinct drafts and the marginal probability of each (position, item).
    static func bruteForce(
        control: [Int], treatment: [Int], limit: Int
    ) -> (drafts: Set<[Int]>, marginal: [[Int: Double]]) {
        let sequences = 1 << limit
        var drafts = Set<[Int]>()
        var marginal = Array(repeating: [Int: Double](), count: limit)
        for mask in 0..<sequences {
            let items = TeamDraft.draft(control: control, treatment: treatment, limit: limit) { round in
                (mask >> round) & 1 == 0 ? .control : .treatment
            }.map(\.item)
            drafts.insert(items)
            for (position, item) in items.enumerated() {
                marginal[position][item, default: 0] += 1 / Double(sequences)
            }
        }
        return (drafts, marginal)
    }

    static func randomList(_ random: inout SplitMix64, vocabulary: Int, maximumLength: Int) -> [Int] {
        (0..<Int(random.next() % UInt64(maximumLength + 1))).map { _ in Int(random.next() % UInt64(vocabulary)) }
    }

    @Test func matchesBruteForceEnumerationOfAllCoinSequences() throws {
        var random = SplitMix64(seed: 17)
        var cases: [(control: [Int], treatment: [Int], limit: Int)] = [
            ([0, 1, 2, 3, 4, 5], [3, 0, 6, 1, 7, 2], 12),  // overlapping, different orders
            ([0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11], 12),  // disjoint
            ([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5], 12),  // identical
            ([0, 1], [5, 4, 3, 2, 1, 0, 9], 12),  // unequal lengths
            ([0, 1, 2], [], 3),
            ([0, 0, 1, 1, 2], [1, 1, 0], 4),  // repeats within a list
        ]
        for _ in 0..<200 {
            let vocabulary = 4 + Int(random.next() % 12)
            cases.append(
                (
                    Self.randomList(&random, vocabulary: vocabulary, maximumLength: 10),
                    Self.randomList(&random, vocabulary: vocabulary, maximumLength: 10),
                    1 + Int(random.next() % 12)
                ))
        }
        var compared = 0
        var multipleDrafts = 0
        for (control, treatment, limit) in cases {
            let (drafts, marginal) = Self.bruteForce(control: control, treatment: treatment, limit: limit)
            if drafts.count > 1 { multipleDrafts += 1 }
            for drafted in drafts {
                let propensities = try #require(
                    TeamDraft.propensities(control: control, treatment: treatment, limit: limit, drafted: drafted))
                #expect(propensities.count == drafted.count)
                for (position, item) in drafted.enumerated() {
                    compared += 1
                    let exact = marginal[position][item] ?? 0
                    let label = "\(control) vs \(treatment) limit \(limit), \(drafted) at \(position)"
                    #expect(
                        abs(propensities[position] - exact) < 1e-12, "\(label): \(propensities[position]) vs \(exact)")
                    #expect(propensities[position] > 0 && propensities[position] <= 1)
                    // Whichever team picks first, a contested round places the same two items (see the doc
                    // comment), so a drafted slot is certain or a fair coin's.
                    #expect(propensities[position] == 0.5 || propensities[position] == 1, "\(label)")
                }
            }
        }
        #expect(compared > 3000 && multipleDrafts > 100, "\(compared) slots, \(multipleDrafts) random cases")
    }

    @Test func identicalListsAreCertainAtEveryPosition() throws {
        let list = (0..<40).map { "place-\($0)" }
        let drafted = TeamDraft.interleave(control: list, treatment: list, limit: 30, seed: "s", requestId: "r")
        let propensities = try #require(
            TeamDraft.propensities(control: list, treatment: list, limit: 30, drafted: drafted.items.map(\.item)))
        #expect(propensities == Array(repeating: 1, count: 30))
    }

    @Test func aListTheDraftCannotMakeGetsZeroWhereItDiffers() throws {
        let propensities = try #require(
            TeamDraft.propensities(
                control: ["a", "b"], treatment: ["c", "d"], limit: 4, drafted: ["a", "a", "x", "d"]))
        // The four drafts, ¼ each: a c b d, a c d b, c a b d, c a d b. Position 0 holds a when control picks first
        // in round 0 (½), position 1 when treatment does (½): marginals are per slot, the list as a whole is
        // impossible. No draft shows x; d is last when control picks first in round 1 (½).
        #expect(propensities == [0.5, 0.5, 0, 0.5])
    }

    @Test func nilWhenTheStatesExceedTheBound() throws {
        // Disjoint lists of 30: one state per contested round (levels 0, 2, ..., 58), so 30 states at limit 60.
        let control = (0..<30).map { "c\($0)" }
        let treatment = (0..<30).map { "t\($0)" }
        let drafted = TeamDraft.interleave(
            control: control, treatment: treatment, limit: 60, seed: "s", requestId: "r"
        ).items.map(\.item)
        #expect(
            TeamDraft.propensities(
                control: control, treatment: treatment, limit: 60, drafted: drafted, maximumStates: 29) == nil)
        let enough = try #require(
            TeamDraft.propensities(
                control: control, treatment: treatment, limit: 60, drafted: drafted, maximumStates: 30))
        #expect(enough == Array(repeating: 0.5, count: 60))
        // At the serving limit, two shuffles of the same 150 places stay far within the default bound.
        var random = SplitMix64(seed: 3)
        let places = (0..<150).map { "p\($0)" }.shuffled(using: &random)
        let other = places.shuffled(using: &random)
        let served = TeamDraft.interleave(control: places, treatment: other, limit: 100, seed: "s", requestId: "r")
        let propensities = try #require(
            TeamDraft.propensities(
                control: places, treatment: other, limit: 100, drafted: served.items.map(\.item)))
        #expect(propensities.allSatisfy { $0 == 0.5 || $0 == 1 })
    }

    /// 100,000 request ids through `interleave` (the hash coins): each (item, position) frequency within 5σ of the
    /// propensity of a draft that has it there.
    @Test func empiricalFrequenciesOfInterleaveMatch() throws {
        let control = ["a", "b", "c", "d", "e", "f", "g"]
        let treatment = ["c", "a", "h", "b", "i", "d", "g"]
        let requests = 100_000
        var counts: [String: [Int]] = [:]
        var propensity: [String: [Double]] = [:]
        var computed: [[String]: [Double]] = [:]
        for index in 0..<requests {
            let items = TeamDraft.interleave(
                control: control, treatment: treatment, limit: 6, seed: "exp-17", requestId: "req-\(index)"
            ).items.map(\.item)
            if computed[items] == nil {
                let exact = try #require(
                    TeamDraft.propensities(control: control, treatment: treatment, limit: 6, drafted: items))
                computed[items] = exact
            }
            for (position, item) in items.enumerated() {
                counts[item, default: Array(repeating: 0, count: 6)][position] += 1
                propensity[item, default: Array(repeating: 0, count: 6)][position] = computed[items]![position]
            }
        }
        #expect(computed.count > 5)
        var checked = 0
        for (item, row) in counts {
            for position in 0..<6 where row[position] > 0 {
                let p = propensity[item]![position]
                let sigma = (Double(requests) * p * (1 - p)).squareRoot()
                checked += 1
                #expect(
                    abs(Double(row[position]) - Double(requests) * p) <= 5 * sigma + 1e-9,
                    "\(item) at \(position): \(row[position]) of \(requests), propensity \(p)")
            }
        }
        #expect(checked >= 12)
    }
}
