import Foundation
import Testing

@testable import Recommender

/// The hold-out among tied timestamps does not depend on how ids are spelled.
@Suite("Hold-out ties: a seeded hash, not the id text")
struct HoldOutTieTests {
    /// A MovieLens-like log with numeric item ids and coarse (day-sized) timestamps: most users end on a tie.
    static func tiedLog(renamedBy permutation: [Int]? = nil) -> [Interaction] {
        var generator = SyntheticMovieLens(seed: 7)
        generator.users = 300
        generator.items = 400
        generator.interactions = 15_000
        return generator.generate().map { row in
            var row = row
            let number = Int(row.itemId.dropFirst())!
            row.itemId = String(permutation.map { $0[number - 1] + 1 } ?? number)
            row.timestamp = 880_000_000 + (row.timestamp % 4) * 86_400
            return row
        }
    }

    static func testMetrics(_ log: [Interaction]) throws -> EvaluationReport {
        let split = try LeaveOneOutSplit(interactions: log, validation: false)
        var configuration = ALSConfiguration()
        configuration.factors = 16
        configuration.iterations = 6
        let model = try TrainedModel.fit(split.trainAndValidation, configuration: .ials(configuration))
        return OfflineEvaluator.evaluateTest(model, split: split)
    }

    @Test("renaming item ids by a random permutation moves NDCG@10 by less than one standard error")
    func permutationInvariance() throws {
        var random = SeededGenerator(seed: 2024)
        let permutation = Array(0..<400).shuffled(using: &random)
        let original = try Self.testMetrics(Self.tiedLog())
        let renamed = try Self.testMetrics(Self.tiedLog(renamedBy: permutation))
        #expect(original.evaluatedUsers == 300 && renamed.evaluatedUsers == 300)
        #expect(original.tiedHoldOutUsers > 200, "the log is meant to be full of ties")
        let standardError = try #require(original.overall.ndcgStandardError)
        let renamedError = try #require(renamed.overall.ndcgStandardError)
        #expect(
            abs(original.overall.ndcg - renamed.overall.ndcg) < min(standardError, renamedError),
            "\(original.overall.ndcg) vs \(renamed.overall.ndcg), SE \(standardError)")
    }

    @Test("among two tied items the text-last id is held out for about half the users, not all")
    func textOrderNoLongerDecides() throws {
        let rows = (0..<400).flatMap { user in
            Fixtures.interactions([("r\(user)", "7", 1), ("r\(user)", "99", 5), ("r\(user)", "1000", 5)])
        }
        let split = try LeaveOneOutSplit(interactions: rows, validation: false)
        let textLast = split.test.filter { split.items[$0.item] == "99" }.count
        #expect((120...280).contains(textLast), "\(textLast) of 400 held out \"99\"")
        #expect(split.tiedTestUsers == 400)
        // The rule is a pure function of the ids: splitting again gives the same hold-outs.
        #expect(try LeaveOneOutSplit(interactions: rows.reversed(), validation: false).test == split.test)
    }

    @Test("tie counts: test and validation hold-outs chosen among equal timestamps")
    func tieCounts() throws {
        let rows = Fixtures.interactions([
            ("a", "x", 1), ("a", "y", 2), ("a", "z", 3),  // no tie
            ("b", "x", 1), ("b", "y", 3), ("b", "z", 3),  // test and validation tie with each other
            ("c", "x", 2), ("c", "y", 2), ("c", "z", 3),  // validation ties with the training item only
            ("d", "x", 1), ("d", "y", 1),  // too short to evaluate with validation: not counted
        ])
        let withValidation = try LeaveOneOutSplit(interactions: rows, validation: true)
        #expect(withValidation.tiedTestUsers == 1)
        #expect(withValidation.tiedValidationUsers == 2)
        let testOnly = try LeaveOneOutSplit(interactions: rows, validation: false)
        #expect(testOnly.tiedTestUsers == 2)  // b and d
        #expect(testOnly.tiedValidationUsers == 0)
    }

    @Test("the hash is a fixed function of the ids (the same in every process)")
    func stableHash() {
        // Reference values from an independent implementation (FNV-1a 64 + SplitMix64 finaliser, in Python).
        #expect(StableTieBreak.key(userId: "alice", itemId: "c") == 15_211_873_575_973_791_591)
        #expect(StableTieBreak.key(userId: "alice", itemId: "d") == 13_344_717_672_292_979_422)
    }
}
