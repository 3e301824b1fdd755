import Foundation
import Testing

@testable import Recommender

/// The leave-last-out split and full-ranking evaluation on a data set small enough to check by hand.
@Suite("Split and ranking protocol")
struct ProtocolTests {
    /// alice: a b c d (c and d share a timestamp; the seeded (user, item) hash orders them: c is last);
    /// bob: b, a, b again (repeats collapse, latest time wins: b is last); carol: one item; dave: a c e.
    let data = Fixtures.interactions([
        ("alice", "a", 1), ("alice", "b", 2), ("alice", "d", 3), ("alice", "c", 3),
        ("bob", "b", 1), ("bob", "a", 5), ("bob", "b", 6),
        ("carol", "c", 1),
        ("dave", "a", 1), ("dave", "c", 2), ("dave", "e", 3),
    ])

    func ids(_ split: LeaveOneOutSplit, _ pairs: [LeaveOneOutSplit.HeldOut]) -> [String] {
        pairs.map { "\(split.users[$0.user]):\(split.items[$0.item])" }
    }

    @Test("test split: last by (timestamp, seeded hash), repeats collapsed, short histories skipped, ties counted")
    func testSplit() throws {
        let split = try LeaveOneOutSplit(interactions: data, validation: false)
        #expect(ids(split, split.test) == ["alice:c", "bob:b", "dave:e"])
        #expect(StableTieBreak.key(userId: "alice", itemId: "c") > StableTieBreak.key(userId: "alice", itemId: "d"))
        #expect(split.skippedUsers == 1)
        #expect(split.tiedTestUsers == 1)  // alice
        #expect(split.validation.isEmpty)
        #expect(split.train.nonZeroCount == 7)  // alice a b c, bob a, carol c, dave a c
        #expect(split.items.ids == ["a", "b", "c", "d", "e"])  // the catalog includes held-out-only items
    }

    @Test("validation split: second-to-last held out too, users need three distinct items")
    func validationSplit() throws {
        let split = try LeaveOneOutSplit(interactions: data, validation: true)
        #expect(ids(split, split.test) == ["alice:c", "dave:e"])
        #expect(ids(split, split.validation) == ["alice:d", "dave:c"])
        #expect(split.tiedTestUsers == 1 && split.tiedValidationUsers == 1)
        #expect(split.skippedUsers == 2)
        let alice = split.users.index(of: "alice")!
        #expect(split.train.row(alice).items.map { split.items[Int($0)] } == ["a", "b"])
        #expect(split.trainAndValidation.row(alice).items.map { split.items[Int($0)] } == ["a", "b", "d"])
        let bob = split.users.index(of: "bob")!
        #expect(split.train.row(bob).weights == [1, 2])  // skipped users still train; b's two rides summed
    }

    @Test("full ranking excludes training items and breaks score ties by the seeded hash")
    func ranking() throws {
        let split = try LeaveOneOutSplit(interactions: data, validation: false)
        // Distinct-user popularity on train: a 3, b 1, c 2, d 1, e 0.
        let model = try TrainedModel.fit(split.train, configuration: .popularity)
        let report = OfflineEvaluator.evaluateTest(model, split: split)
        // alice ranks {c, e}: c first. bob ranks {b, c, d, e}: c, then b and d tie at 1 and the hash puts b
        // first (rank 2). dave ranks {b, d, e}: e is third. Top-k lists order ties by the same hash.
        #expect(StableTieBreak.key(userId: "bob", itemId: "b") < StableTieBreak.key(userId: "bob", itemId: "d"))
        #expect(report.rows.map(\.rank) == [1, 2, 3])
        #expect(StableTieBreak.key(userId: "dave", itemId: "b") < StableTieBreak.key(userId: "dave", itemId: "d"))
        #expect(report.rows.map(\.recommendations) == [["c", "e"], ["c", "b", "d", "e"], ["b", "d", "e"]])
        #expect(report.tiedHoldOutUsers == 1)
        #expect(report.evaluatedUsers == 3 && report.skippedUsers == 1)
        #expect(report.overall.hitRate == 1)
        #expect(abs(report.overall.ndcg - (1 + 1 / log2(3.0) + 0.5) / 3) < 1e-12)
        #expect(abs(report.overall.mrr - (1 + 0.5 + 1.0 / 3) / 3) < 1e-12)
        #expect(report.overall.coverage == 0.8)  // {b, c, d, e} of 5
        #expect(report.subpopulations["activity<50"]?.users == 3)
        #expect(report.subpopulations["activity>=50"] == nil)

        let strict = OfflineEvaluator.evaluate(model, heldOut: split.test, skippedUsers: 1, k: 1)
        #expect(abs(strict.overall.hitRate - 1.0 / 3) < 1e-12)
    }

    @Test("city and segment groups come from the held-out interaction")
    func subpopulations() throws {
        var rows = Fixtures.interactions([("u1", "a", 1), ("u1", "b", 2), ("u2", "a", 1), ("u2", "c", 2)])
        rows[1].city = "lisbon"
        rows[3].city = "porto"
        rows[3].segment = "commuter"
        let split = try LeaveOneOutSplit(interactions: rows, validation: false)
        let model = try TrainedModel.fit(split.train, configuration: .popularity)
        let report = OfflineEvaluator.evaluateTest(model, split: split)
        #expect(Set(report.subpopulations.keys) == ["activity<50", "city=lisbon", "city=porto", "segment=commuter"])
        #expect(report.subpopulations["city=porto"]?.users == 1)
    }

    @Test("no user with enough history is a typed error")
    func insufficient() {
        #expect(throws: RecommenderError.self) {
            try LeaveOneOutSplit(interactions: Fixtures.interactions([("u", "a", 1)]), validation: false)
        }
    }
}
