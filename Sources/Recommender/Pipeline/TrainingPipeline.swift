/// One configuration tried during tuning and its metrics on the validation items.
public struct GridPoint: Sendable, Equatable, Codable {
    /// The configuration tried.
    public var configuration: ModelConfiguration
    /// Its metrics on the validation split (trained on the training split).
    public var validation: RankingMetrics
}

/// What a training run reports while it works.
public struct PipelineProgress: Sendable, Equatable {
    /// e.g. `"validation 2/6"`, `"test refit"`, `"final fit"`.
    public var stage: String
    /// iALS iteration within the stage, if any.
    public var iteration: Int?
    /// Seconds since the stage's fit started.
    public var seconds: Double
    /// Training loss after the iteration, if computed.
    public var loss: Double?
}

/// Everything a training run produces: the choice, the evidence, and the model to serve.
public struct PipelineResult: Sendable {
    /// The configuration chosen on validation (the only candidate when there was no grid).
    public var chosen: ModelConfiguration
    /// Every candidate with its validation metrics (empty without a grid).
    public var grid: [GridPoint]
    /// Test metrics of `chosen` refit on train + validation.
    public var test: EvaluationReport
    /// `chosen` fit on all interactions: the artifact that serves.
    public var model: TrainedModel
    /// Wall-clock seconds of the final fit.
    public var trainingSeconds: Double
    /// Interactions read (before collapsing repeats).
    public var interactionCount: Int
    /// The split `test` was measured on: another configuration evaluated with
    /// ``TrainingPipeline/evaluateTest(_:on:)`` on it is paired user for user with `test`.
    public var split: LeaveOneOutSplit
}

/// The offline protocol end to end: choose hyperparameters on the validation split, report test metrics
/// of the choice refit on train + validation, and fit the served model on everything.
public struct TrainingPipeline: Sendable {
    /// Configurations to choose from; one candidate skips tuning (and the validation hold-out).
    public var candidates: [ModelConfiguration]
    /// Metric cutoff.
    public var k: Int
    /// Evaluate at most this many users per hold-out set (a seeded sample, reported as such); nil: all.
    /// Full ranking costs users × catalog scores, so a million-rider city would spend longer evaluating than
    /// fitting; 100k users give an NDCG standard error near 0.001, far below any difference worth acting on.
    public var evaluationUserLimit: Int?
    /// Threads each fit uses; `nil`: every active core.
    public var threads: Int?

    /// The default ``evaluationUserLimit``.
    public static let defaultEvaluationUserLimit = 100_000

    public init(
        candidates: [ModelConfiguration], k: Int = 10, evaluationUserLimit: Int? = defaultEvaluationUserLimit,
        threads: Int? = nil
    ) {
        self.candidates = candidates
        self.k = k
        self.evaluationUserLimit = evaluationUserLimit
        self.threads = threads
    }

    /// A small default grid: a few λ × α points around values that work on MovieLens-sized data.
    public static func defaultGrid(for algorithm: Algorithm, seed: UInt64 = 42) -> [ModelConfiguration] {
        switch algorithm {
        case .popularity:
            return [.popularity]
        case .ials:
            return [0.01, 0.03, 0.1].flatMap { lambda in
                [5.0, 20.0].map { alpha in
                    .ials(ALSConfiguration(regularization: lambda, alpha: alpha, seed: seed))
                }
            }
        case .ease:
            return [100.0, 250.0, 500.0].map { .ease(EASEConfiguration(regularization: $0)) }
        }
    }

    /// Runs the protocol; selection is by validation NDCG@k, ties to the earlier candidate.
    public func run(
        _ interactions: [Interaction],
        progress: ((PipelineProgress) -> Void)? = nil
    ) throws(RecommenderError) -> PipelineResult {
        guard !candidates.isEmpty else { throw .invalidConfiguration("no candidate configuration to train") }
        guard (1...1000).contains(k) else { throw .invalidConfiguration("k must be in 1...1000") }
        for candidate in candidates { try candidate.validate() }
        let tuning = candidates.count > 1
        let split = try LeaveOneOutSplit(interactions: interactions, validation: tuning)
        func reporter(_ stage: String) -> ALSTrainer.Progress? {
            guard let progress else { return nil }
            return { iteration, seconds, loss in
                progress(PipelineProgress(stage: stage, iteration: iteration, seconds: seconds, loss: loss))
            }
        }
        var grid: [GridPoint] = []
        var chosen = candidates[0]
        if tuning {
            var best = -1.0
            for (position, candidate) in candidates.enumerated() {
                let stage = "validation \(position + 1)/\(candidates.count)"
                let model = try TrainedModel.fit(
                    split.train, configuration: candidate, threads: threads, progress: reporter(stage))
                let report = OfflineEvaluator.evaluate(
                    model, heldOut: split.validation, skippedUsers: split.skippedUsers,
                    tiedHoldOutUsers: split.tiedValidationUsers, k: k, sampleLimit: evaluationUserLimit)
                grid.append(GridPoint(configuration: candidate, validation: report.overall))
                if report.overall.ndcg > best {
                    best = report.overall.ndcg
                    chosen = candidate
                }
            }
        }
        let refit = try TrainedModel.fit(
            split.trainAndValidation, configuration: chosen, threads: threads,
            progress: reporter("test refit"))
        let test = OfflineEvaluator.evaluateTest(refit, split: split, k: k, sampleLimit: evaluationUserLimit)
        let clock = ContinuousClock()
        let start = clock.now
        let all = try InteractionMatrix(interactions: interactions, users: split.users, items: split.items)
        let model = try TrainedModel.fit(
            all, configuration: chosen, threads: threads, progress: reporter("final fit"))
        let elapsed = start.duration(to: clock.now)
        return PipelineResult(
            chosen: chosen, grid: grid, test: test, model: model,
            trainingSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            interactionCount: interactions.count, split: split)
    }

    /// Fits `configuration` on `split.trainAndValidation` and evaluates it on the split's test items with this
    /// pipeline's cutoff and user sample: the same users and hold-outs as ``PipelineResult/test``.
    public func evaluateTest(
        _ configuration: ModelConfiguration, on split: LeaveOneOutSplit,
        progress: ALSTrainer.Progress? = nil
    ) throws(RecommenderError) -> EvaluationReport {
        try configuration.validate()
        let model = try TrainedModel.fit(
            split.trainAndValidation, configuration: configuration, threads: threads, progress: progress)
        return OfflineEvaluator.evaluateTest(model, split: split, k: k, sampleLimit: evaluationUserLimit)
    }
}
