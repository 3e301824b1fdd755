import Foundation
import Testing

@testable import Experiments

@Suite("ε-greedy exploration slot")
struct ExplorationSlotTests {
    static func ranking(_ count: Int) -> [String] { (0..<count).map { "place-\($0)" } }

    @Test func settingsValidationNamesTheFieldAndTheRange() throws {
        #expect(ExplorationSettings(epsilon: 0.1).problem == nil)
        #expect(ExplorationSettings(epsilon: 0.5, candidates: 2).problem == nil)
        #expect(ExplorationSettings(epsilon: 0.0001, candidates: 200).problem == nil)
        for epsilon in [0, -0.1, 0.5000001, 1, .nan, .infinity] {
            let problem = try #require(ExplorationSettings(epsilon: epsilon).problem)
            #expect(problem.contains("exploration.epsilon") && problem.contains("0.5"), "\(problem)")
        }
        for candidates in [-1, 0, 1, 201] {
            let problem = try #require(ExplorationSettings(epsilon: 0.1, candidates: candidates).problem)
            #expect(problem == "exploration.candidates must be between 2 and 200, got \(candidates)")
        }
        let decoded = try JSONDecoder().decode(ExplorationSettings.self, from: Data(#"{"epsilon":0.1}"#.utf8))
        #expect(decoded == ExplorationSettings(epsilon: 0.1, candidates: 20))
        let full = ExplorationSettings(epsilon: 0.25, candidates: 7)
        #expect(try JSONDecoder().decode(ExplorationSettings.self, from: JSONEncoder().encode(full)) == full)
    }

    /// Every outcome of the procedure with its probability: not explored (1 − ε), or slot s drew candidate x ≠ s
    /// (ε/(m(C−1)) each). Summing the outcomes' lists gives each (rank, position) marginal by brute force.
    static func enumeratedMarginals(shown: Int, candidates: Int, epsilon: Double) -> [[Double]] {
        let positions = min(shown, candidates)
        var marginal = Array(repeating: Array(repeating: 0.0, count: max(shown, candidates)), count: shown)
        var outcomes: [(ranks: [Int], probability: Double)] = [(Array(0..<shown), 1 - epsilon)]
        for slot in 0..<positions {
            for pick in 0..<candidates where pick != slot {
                outcomes.append(
                    (
                        ExplorationSlot.exploredRanks(shown: shown, slot: slot, pick: pick),
                        epsilon / Double(positions * (candidates - 1))
                    ))
            }
        }
        for outcome in outcomes {
            for (position, rank) in outcome.ranks.enumerated() { marginal[position][rank] += outcome.probability }
        }
        return marginal
    }

    @Test(arguments: [(5, 8), (1, 8), (5, 5), (1, 2), (2, 2), (3, 20), (10, 200), (8, 5), (4, 3)])
    func closedFormMatchesEveryOutcomeAndSumsToOnePerPosition(shown: Int, candidates: Int) {
        for epsilon in [0.05, 0.1, 0.5] {
            let enumerated = Self.enumeratedMarginals(shown: shown, candidates: candidates, epsilon: epsilon)
            let model = ExplorationSlot.Marginals(
                epsilon: epsilon, positions: min(shown, candidates), candidates: candidates)
            for position in 0..<shown {
                let row = enumerated[position]
                #expect(abs(row.reduce(0, +) - 1) < 1e-12, "position \(position) sums to \(row.reduce(0, +))")
                var closedForm = 0.0
                for rank in row.indices {
                    let value = model.propensity(rank: rank, position: position)
                    closedForm += value
                    #expect(
                        abs(value - row[rank]) < 1e-12,
                        "k \(shown) C \(candidates) ε \(epsilon): rank \(rank) at \(position): \(value) vs \(row[rank])"
                    )
                }
                #expect(abs(closedForm - 1) < 1e-12)
            }
        }
    }

    @Test func coinProbabilityCountsTheBucketsBelowEpsilon() {
        #expect(ExplorationSlot.coinProbability(0.1) == 0.1)
        #expect(ExplorationSlot.coinProbability(0.5) == 0.5)
        #expect(ExplorationSlot.coinProbability(0.12345) == 0.1235)  // buckets 0 ... 0.1234
        #expect(ExplorationSlot.coinProbability(0.00001) == 0.0001)  // bucket 0 only
        #expect(ExplorationSlot.coinProbability(0) == 0)
        #expect(ExplorationSlot.coinProbability(.nan) == 0)
    }

    /// 200,000 request ids on a ranking of 30 (5 shown, 8 candidates, ε = 0.2): every (item, position) frequency
    /// within 5σ of its propensity (σ of a binomial count), pairs that cannot occur never do, the exploration rate
    /// within 5σ of ε and the explored slot uniform.
    @Test func empiricalFrequenciesMatchThePropensities() {
        let ranked = Self.ranking(30)
        let settings = ExplorationSettings(epsilon: 0.2, candidates: 8)
        let requests = 200_000
        var counts: [String: [Int]] = [:]
        var propensity: [String: [Double]] = [:]
        var explored = 0
        var slots = Array(repeating: 0, count: 5)
        for index in 0..<requests {
            let list = ExplorationSlot.apply(
                ranked: ranked, limit: 5, settings: settings, seed: "exp-17", requestId: "req-\(index)")
            #expect(list.items.count == 5 && Set(list.items).count == 5 && list.candidateCount == 8)
            if let slot = list.exploredPosition {
                explored += 1
                slots[slot] += 1
                #expect(list.items[slot] != ranked[slot])
            }
            for (position, item) in list.items.enumerated() {
                counts[item, default: Array(repeating: 0, count: 5)][position] += 1
                propensity[item, default: Array(repeating: 0, count: 5)][position] = list.propensities[position]
            }
        }
        let model = ExplorationSlot.Marginals(epsilon: 0.2, positions: 5, candidates: 8)
        for (rank, item) in ranked.enumerated() {
            for position in 0..<5 {
                let p = model.propensity(rank: rank, position: position)
                let observed = counts[item]?[position] ?? 0
                if p == 0 {
                    #expect(observed == 0, "\(item) at \(position)")
                    continue
                }
                // The reported propensity of a shown pair is the closed form.
                #expect(propensity[item]?[position] == p, "\(item) at \(position)")
                let sigma = (Double(requests) * p * (1 - p)).squareRoot()
                #expect(
                    abs(Double(observed) - Double(requests) * p) <= 5 * sigma,
                    "\(item) at \(position): \(observed) of \(requests), propensity \(p)")
            }
        }
        let rateSigma = (Double(requests) * 0.2 * 0.8).squareRoot()
        #expect(abs(Double(explored) - 0.2 * Double(requests)) <= 5 * rateSigma, "explored \(explored)")
        let slotSigma = (Double(explored) * 0.2 * 0.8).squareRoot()
        #expect(slots.allSatisfy { abs(Double($0) - Double(explored) / 5) <= 5 * slotSigma }, "\(slots)")
    }

    @Test func reproduciblePerSeedAndRequest() {
        let ranked = Self.ranking(20)
        let settings = ExplorationSettings(epsilon: 0.5, candidates: 20)
        var differsAcrossSeeds = 0
        for index in 0..<200 {
            let id = "req-\(index)"
            let first = ExplorationSlot.apply(ranked: ranked, limit: 10, settings: settings, seed: "a", requestId: id)
            let again = ExplorationSlot.apply(ranked: ranked, limit: 10, settings: settings, seed: "a", requestId: id)
            #expect(first == again)
            let other = ExplorationSlot.apply(ranked: ranked, limit: 10, settings: settings, seed: "b", requestId: id)
            if other != first { differsAcrossSeeds += 1 }
        }
        #expect(differsAcrossSeeds > 50)
    }

    @Test func withoutSettingsTheListIsTheRankersWithPropensityOne() {
        let ranked = Self.ranking(12)
        let list = ExplorationSlot.apply(ranked: ranked, limit: 5, settings: nil, seed: "s", requestId: "r")
        #expect(
            list
                == ExploredList(
                    items: Array(ranked.prefix(5)), propensities: [1, 1, 1, 1, 1],
                    exploredPosition: nil, candidateCount: 5))
    }

    @Test func edgeCases() {
        let settings = ExplorationSettings(epsilon: 0.5, candidates: 20)
        for index in 0..<300 {
            let id = "r\(index)"
            // One item: no other candidate, so never explored.
            let single = ExplorationSlot.apply(ranked: ["a"], limit: 5, settings: settings, seed: "s", requestId: id)
            #expect(single == ExploredList(items: ["a"], propensities: [1], exploredPosition: nil, candidateCount: 1))
            let empty = ExplorationSlot.apply(ranked: [], limit: 5, settings: settings, seed: "s", requestId: id)
            #expect(empty.items.isEmpty && empty.propensities.isEmpty && empty.exploredPosition == nil)

            // k = 1: the slot is 0, the item comes from the pool; ranked[0] stays with 1 − ε.
            let one = ExplorationSlot.apply(
                ranked: Self.ranking(30), limit: 1, settings: settings, seed: "s", requestId: id)
            #expect(one.propensities == [one.exploredPosition == nil ? 0.5 : 0.5 / 19])

            // Ranked shorter than the candidate count and than the limit: C = k = 4, only swaps.
            let short = ExplorationSlot.apply(
                ranked: Self.ranking(4), limit: 10, settings: settings, seed: "s", requestId: id)
            #expect(short.candidateCount == 4 && Set(short.items) == Set(Self.ranking(4)))
            if short.exploredPosition != nil {
                #expect(short.propensities.filter { $0 == 2 * 0.5 / 12 }.count == 2)
            }

            // Limit above the candidate count: positions from C on are never explored.
            let wide = ExplorationSlot.apply(
                ranked: Self.ranking(30), limit: 10,
                settings: ExplorationSettings(epsilon: 0.5, candidates: 3), seed: "s", requestId: id)
            #expect(Array(wide.items.suffix(7)) == Array(Self.ranking(10).suffix(7)))
            #expect(wide.propensities.suffix(7).allSatisfy { $0 == 1 })
            #expect(Set(wide.items.prefix(3)) == Set(Self.ranking(3)))
        }
    }
}
