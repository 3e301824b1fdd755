import Testing

@testable import Recommender

@Suite("iALS")
struct ALSTests {
    let small = ALSConfiguration(factors: 8, regularization: 0.01, alpha: 10, iterations: 8, seed: 3)

    @Test("recovers a planted low-rank structure far better than popularity")
    func plantedRecovery() throws {
        let split = try LeaveOneOutSplit(interactions: Fixtures.planted(), validation: false)
        let als = try TrainedModel.fit(split.train, configuration: .ials(small))
        let popularity = try TrainedModel.fit(split.train, configuration: .popularity)
        let alsMetrics = OfflineEvaluator.evaluateTest(als, split: split).overall
        let popularityMetrics = OfflineEvaluator.evaluateTest(popularity, split: split).overall
        #expect(alsMetrics.hitRate > 0.3)
        #expect(alsMetrics.hitRate > 2 * popularityMetrics.hitRate)
        #expect(alsMetrics.ndcg > 2 * popularityMetrics.ndcg)
    }

    @Test("the loss never increases with exact (Cholesky) solves and drops with CG", arguments: [0, 3])
    func lossDecreases(conjugateGradientSteps: Int) throws {
        let matrix = try InteractionMatrix(interactions: Fixtures.planted(users: 80, items: 60))
        var configuration = small
        configuration.conjugateGradientSteps = conjugateGradientSteps
        var losses: [Double] = []
        _ = try ALSTrainer.fit(matrix, configuration: configuration) { iteration, seconds, loss in
            #expect(iteration == losses.count + 1 && seconds >= 0)
            losses.append(loss ?? .nan)
        }
        #expect(losses.count == configuration.iterations)
        #expect(losses.last! < 0.8 * losses.first!)
        if conjugateGradientSteps == 0 {
            for (previous, next) in zip(losses, losses.dropFirst()) { #expect(next <= previous * (1 + 1e-5)) }
        }
    }

    @Test("conjugate gradient approaches the exact solution")
    func cgMatchesCholesky() throws {
        let matrix = try InteractionMatrix(interactions: Fixtures.planted(users: 60, items: 40))
        var exact = small
        exact.conjugateGradientSteps = 0
        var iterative = small
        iterative.conjugateGradientSteps = 8
        let a = try ALSTrainer.fit(matrix, configuration: exact, computeLoss: false)
        let b = try ALSTrainer.fit(matrix, configuration: iterative, computeLoss: false)
        let sa = a.scores(forUser: 5), sb = b.scores(forUser: 5)
        let error = zip(sa, sb).map { abs($0 - $1) }.max()!
        #expect(error < 0.05 * sa.map(abs).max()!)
    }

    @Test("same seed gives bit-identical factors; another seed does not")
    func determinism() throws {
        let matrix = try InteractionMatrix(interactions: Fixtures.planted(users: 50, items: 40))
        let first = try ALSTrainer.fit(matrix, configuration: small)
        let second = try ALSTrainer.fit(matrix, configuration: small)
        #expect(first.userFactors == second.userFactors && first.itemFactors == second.itemFactors)
        var other = small
        other.seed = 4
        #expect(try ALSTrainer.fit(matrix, configuration: other).itemFactors != first.itemFactors)
    }

    @Test("scores are dot products of the unpadded factor vectors, padding stays zero")
    func scoring() throws {
        var configuration = small
        configuration.factors = 5  // padded to 8
        let model = try ALSTrainer.fit(
            try InteractionMatrix(interactions: Fixtures.planted(users: 20, items: 20)),
            configuration: configuration)
        let user = model.userVector(3)
        let scores = model.scores(forUser: 3)
        for item in 0..<model.items.count {
            let expected = zip(user, model.itemVector(item)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(scores[item] - expected) < 1e-5)
        }
        #expect(model.itemFactors.enumerated().allSatisfy { $0.offset % 8 < 5 || $0.element == 0 })
    }

    @Test(
        "bad hyperparameters are typed errors",
        arguments: [
            ALSConfiguration(factors: 0), ALSConfiguration(regularization: 0), ALSConfiguration(alpha: -1),
            ALSConfiguration(iterations: 0), ALSConfiguration(frequencyScaling: 5),
        ])
    func invalid(configuration: ALSConfiguration) throws {
        let matrix = try InteractionMatrix(interactions: Fixtures.planted(users: 10, items: 10))
        #expect(throws: RecommenderError.self) { try ALSTrainer.fit(matrix, configuration: configuration) }
    }
}
