import Testing

@testable import Recommender

@Suite("Training pipeline")
struct PipelineTests {
    @Test("tunes on validation, reports test metrics, serves a model fit on everything")
    func tuned() throws {
        let data = Fixtures.planted(users: 120, items: 80)
        let grid: [ModelConfiguration] = [
            .popularity,
            .ials(ALSConfiguration(factors: 8, regularization: 0.01, alpha: 10, iterations: 6)),
        ]
        var stages = Set<String>()
        let result = try TrainingPipeline(candidates: grid).run(data) { stages.insert($0.stage) }
        #expect(result.grid.count == 2 && result.grid.map(\.configuration) == grid)
        #expect(result.chosen == grid[1])  // the planted structure beats popularity on validation
        #expect(result.grid[1].validation.ndcg > result.grid[0].validation.ndcg)
        #expect(result.test.evaluatedUsers == 120 && result.test.overall.hitRate > 0.3)
        #expect(stages == ["validation 2/2", "test refit", "final fit"])
        #expect(result.model.history.nonZeroCount == data.count)  // all interactions, nothing held out
        #expect(result.model.configuration == grid[1] && result.interactionCount == data.count)
    }

    @Test("a single candidate skips tuning; bad input is a typed error")
    func single() throws {
        let data = Fixtures.planted(users: 40, items: 40)
        let result = try TrainingPipeline(candidates: [.popularity]).run(data)
        #expect(result.grid.isEmpty && result.chosen == .popularity && result.test.evaluatedUsers == 40)
        #expect(throws: RecommenderError.self) { try TrainingPipeline(candidates: []).run(data) }
        #expect(throws: RecommenderError.self) { try TrainingPipeline(candidates: [.popularity]).run([]) }
        #expect(TrainingPipeline.defaultGrid(for: .ials).count == 6)
    }
}
