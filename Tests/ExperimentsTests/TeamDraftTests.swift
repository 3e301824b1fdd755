import Experiments
import Testing

@Suite("Team-draft interleaving")
struct TeamDraftTests {
    /// A request id whose first coins are `coins` (control = true), found by scanning, so expected lists can be
    /// written out by hand from the algorithm rather than recomputed by it.
    static func requestId(seed: String, coins: [Arm]) throws -> String {
        let found = (0..<10_000).lazy.map { "req-\($0)" }.first { id in
            coins.enumerated().allSatisfy {
                TeamDraft.firstPick(seed: seed, requestId: id, round: $0.offset) == $0.element
            }
        }
        return try #require(found, "no request id with coins \(coins)")
    }

    static func slots(_ pairs: [(String, Arm)]) -> [DraftedItem<String>] {
        pairs.map { DraftedItem(item: $0.0, arm: $0.1) }
    }

    @Test func coinIsTheGrowthBookBucketOfRequestAndRound() {
        for index in 0..<200 {
            let id = "r\(index)"
            for round in 0..<3 {
                let bucket = GrowthBookHash.bucket(seed: "s", value: "\(id):\(round)")
                #expect(
                    TeamDraft.firstPick(seed: "s", requestId: id, round: round)
                        == (bucket < 0.5 ? .control : .treatment))
            }
        }
    }

    @Test func picksFollowTheCoinOfEachContestedRound() throws {
        let id = try Self.requestId(seed: "exp", coins: [.control, .treatment, .treatment])
        let result = TeamDraft.interleave(
            control: ["a", "b", "c", "d"], treatment: ["b", "e", "a", "f"], limit: 10, seed: "exp", requestId: id)
        // Round 0 (control first): a by control, then treatment's next unplaced b. Round 1 (treatment first):
        // treatment's e, then control's c (b is placed). Round 2 (treatment first): treatment's f (a is placed),
        // control's d.
        #expect(
            result.items
                == Self.slots([
                    ("a", .control), ("b", .treatment), ("e", .treatment), ("c", .control),
                    ("f", .treatment), ("d", .control),
                ]))
        #expect(result.firstPick == .control)

        let other = try Self.requestId(seed: "exp", coins: [.treatment, .control])
        let flipped = TeamDraft.interleave(
            control: ["a", "b", "c"], treatment: ["x", "y", "z"], limit: 3, seed: "exp", requestId: other)
        #expect(flipped.items == Self.slots([("x", .treatment), ("a", .control), ("b", .control)]))
        #expect(flipped.firstPick == .treatment)
    }

    @Test func competitivePairsArePlacedOnceAndCreditNeither() throws {
        let id = try Self.requestId(seed: "exp", coins: [.treatment])
        let result = TeamDraft.interleave(
            control: ["a", "b", "c"], treatment: ["a", "b", "d"], limit: 10, seed: "exp", requestId: id)
        // Two competitive pairs draw no coin, so the first contested round still uses coin 0 (treatment).
        #expect(result.items == Self.slots([("a", .both), ("b", .both), ("d", .treatment), ("c", .control)]))
        #expect(result.firstPick == .treatment)

        let identical = TeamDraft.interleave(
            control: ["a", "b"], treatment: ["a", "b"], limit: 10, seed: "exp", requestId: id)
        #expect(identical.items == Self.slots([("a", .both), ("b", .both)]))
        #expect(identical.firstPick == TeamDraft.firstPick(seed: "exp", requestId: id))
    }

    @Test func sameSeedAndRequestGiveTheSameListOtherRequestsVary() {
        let control = (0..<20).map { "c\($0)" }
        let treatment = (0..<20).map { "t\($0)" }
        var distinct = Set<[DraftedItem<String>]>()
        for index in 0..<100 {
            let first = TeamDraft.interleave(
                control: control, treatment: treatment, limit: 20, seed: "exp", requestId: "r\(index)")
            let again = TeamDraft.interleave(
                control: control, treatment: treatment, limit: 20, seed: "exp", requestId: "r\(index)")
            #expect(first == again)
            distinct.insert(first.items)
        }
        // 10 contested rounds give 2^10 orders; 100 requests landing on a handful would mean a broken coin.
        #expect(distinct.count > 50)
    }

    @Test func limitsOneAndHundredAndClamping() {
        let control = (0..<150).map { "c\($0)" }
        let treatment = (0..<150).map { "t\($0)" }
        for index in 0..<50 {
            let id = "r\(index)"
            let one = TeamDraft.interleave(control: control, treatment: treatment, limit: 1, seed: "s", requestId: id)
            #expect(one.items.count == 1)
            #expect(one.items.first?.arm == one.firstPick)
            let hundred = TeamDraft.interleave(
                control: control, treatment: treatment, limit: 100, seed: "s", requestId: id)
            #expect(hundred.items.count == 100)
            #expect(hundred.items.filter { $0.arm == .control }.count == 50)
            let over = TeamDraft.interleave(
                control: control, treatment: treatment, limit: 500, seed: "s", requestId: id)
            #expect(over == hundred)
            let under = TeamDraft.interleave(
                control: control, treatment: treatment, limit: 0, seed: "s", requestId: id)
            #expect(under == one)
        }
    }

    @Test func unequalAndEmptyLists() {
        for index in 0..<50 {
            let id = "r\(index)"
            let short = TeamDraft.interleave(
                control: ["a", "b"], treatment: (0..<8).map { "t\($0)" }, limit: 100, seed: "s", requestId: id)
            #expect(short.items.count == 10)
            #expect(short.items.filter { $0.arm == .control }.map(\.item) == ["a", "b"])
            #expect(short.items.filter { $0.arm == .treatment }.map(\.item) == (0..<8).map { "t\($0)" })
            // Once control is exhausted, treatment fills the rest.
            #expect(short.items.suffix(4).allSatisfy { $0.arm == .treatment })

            let onlyTreatment = TeamDraft.interleave(
                control: [], treatment: ["x", "y", "z"], limit: 2, seed: "s", requestId: id)
            #expect(onlyTreatment.items == Self.slots([("x", .treatment), ("y", .treatment)]))
            let onlyControl = TeamDraft.interleave(
                control: ["x", "y"], treatment: [], limit: 5, seed: "s", requestId: id)
            #expect(onlyControl.items == Self.slots([("x", .control), ("y", .control)]))
            let none = TeamDraft.interleave(control: [String](), treatment: [], limit: 5, seed: "s", requestId: id)
            #expect(none.items.isEmpty)
            #expect(none.firstPick == TeamDraft.firstPick(seed: "s", requestId: id))
        }
    }

    @Test func overlappingRandomListsNeverDuplicateAndKeepEachRankersOrder() {
        var rng = SplitMix64(seed: 16)
        for index in 0..<500 {
            let control = (0..<Int(rng.next() % 30)).map { _ in Int(rng.next() % 40) }
            let treatment = (0..<Int(rng.next() % 30)).map { _ in Int(rng.next() % 40) }
            let limit = 1 + Int(rng.next() % 40)
            let result = TeamDraft.interleave(
                control: control, treatment: treatment, limit: limit, seed: "s", requestId: "r\(index)")
            let items = result.items.map(\.item)
            #expect(Set(items).count == items.count)
            #expect(items.count == min(limit, Set(control).union(treatment).count))
            #expect(result.firstPick != .both)
            for slot in result.items {
                switch slot.arm {
                case .control: #expect(control.contains(slot.item))
                case .treatment: #expect(treatment.contains(slot.item))
                case .both: #expect(control.contains(slot.item) && treatment.contains(slot.item))
                }
            }
            // Each team's items appear in its ranker's order (first occurrences).
            for (arm, list) in [(Arm.control, control), (.treatment, treatment)] {
                let picked = result.items.filter { $0.arm == arm }.compactMap { list.firstIndex(of: $0.item) }
                #expect(picked == picked.sorted())
            }
        }
    }

    @Test func disjointListsStayBalancedAtEveryPrefix() {
        let control = (0..<30).map { "c\($0)" }
        let treatment = (0..<30).map { "t\($0)" }
        for index in 0..<200 {
            let result = TeamDraft.interleave(
                control: control, treatment: treatment, limit: 60, seed: "s", requestId: "r\(index)")
            var balance = 0
            for slot in result.items {
                balance += slot.arm == .control ? 1 : -1
                #expect(abs(balance) <= 1)
            }
        }
    }

    @Test func firstPickIsFairOverTenThousandRequests() {
        let requests = 10_000
        let control = (0..<requests).filter {
            TeamDraft.interleave(
                control: ["a", "b"], treatment: ["b", "a"], limit: 2, seed: "exp-16", requestId: "req-\($0)"
            )
            .firstPick == .control
        }.count
        // Binomial(10,000, ½): σ = 50; a bound of 4σ fails a fair coin with probability 6e-5.
        #expect(abs(control - requests / 2) <= 200, "control picked first \(control) times of \(requests)")
    }
}
