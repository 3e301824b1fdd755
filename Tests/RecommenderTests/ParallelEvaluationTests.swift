import Foundation
import Testing

@testable import Recommender

/// Evaluation of many users: parallel chunks give the serial result; a seeded sample is reported as one.
@Suite("Parallel and sampled evaluation")
struct ParallelEvaluationTests {
    static func fitted() throws -> (LeaveOneOutSplit, TrainedModel) {
        let split = try LeaveOneOutSplit(interactions: Fixtures.planted(users: 500, items: 160), validation: false)
        var configuration = ALSConfiguration()
        configuration.factors = 8
        configuration.iterations = 4
        return (split, try TrainedModel.fit(split.trainAndValidation, configuration: .ials(configuration)))
    }

    @Test("parallel evaluation equals serial evaluation exactly")
    func parallelEqualsSerial() throws {
        let (split, model) = try Self.fitted()
        #expect(split.test.count > 64 * 2, "several chunks")
        let serial = OfflineEvaluator.evaluate(model, heldOut: split.test, skippedUsers: 0, parallel: false)
        let parallel = OfflineEvaluator.evaluate(model, heldOut: split.test, skippedUsers: 0, parallel: true)
        #expect(parallel == serial)
        #expect(parallel.rows == serial.rows)
        #expect(serial.sampledFromUsers == nil)
    }

    @Test("above the limit a seeded sample of users is evaluated, the same users for every model")
    func sample() throws {
        let (split, model) = try Self.fitted()
        let report = OfflineEvaluator.evaluateTest(model, split: split, sampleLimit: 100)
        #expect(report.evaluatedUsers == 100)
        #expect(report.sampledFromUsers == split.test.count)
        #expect(report.overall.users == 100 && report.overall.ndcgStandardError != nil)
        let popularity = try TrainedModel.fit(split.trainAndValidation, configuration: .popularity)
        let other = OfflineEvaluator.evaluateTest(popularity, split: split, sampleLimit: 100)
        #expect(other.rows.map(\.userId) == report.rows.map(\.userId))
        let all = OfflineEvaluator.evaluateTest(model, split: split, sampleLimit: split.test.count)
        #expect(all.sampledFromUsers == nil && all.evaluatedUsers == split.test.count)
    }

    @Test("score ties are ordered by the seeded hash, not by item index")
    func scoreTies() {
        let scores: [Float] = [1, 1, 1, 1, 0.5]
        let itemHashes = ["1", "2", "3", "4", "5"].map(StableTieBreak.idHash)
        let userHash = StableTieBreak.idHash("u")
        let ranks = (0..<4).map { target in
            scores.withUnsafeBufferPointer {
                OfflineEvaluator.rank(
                    of: target, in: $0, excluding: [Int32](), userHash: userHash, itemHashes: itemHashes)
            }
        }
        #expect(ranks.sorted() == [1, 2, 3, 4], "four tied items take the first four ranks once each")
        let expected = (0..<4).sorted {
            StableTieBreak.key(userHash: userHash, itemHash: itemHashes[$0])
                < StableTieBreak.key(userHash: userHash, itemHash: itemHashes[$1])
        }
        #expect(expected.map { ranks[$0] } == [1, 2, 3, 4])
        let last = scores.withUnsafeBufferPointer {
            OfflineEvaluator.rank(of: 4, in: $0, excluding: [1] as [Int32], userHash: userHash, itemHashes: itemHashes)
        }
        #expect(last == 4, "excluded items do not count")
        let top = scores.withUnsafeBufferPointer {
            OfflineEvaluator.top(2, in: $0, excluding: [] as [Int32], userHash: userHash, itemHashes: itemHashes)
        }
        #expect(top == Array(expected.prefix(2)), "the top-k list agrees with the rank among ties")
    }
}
