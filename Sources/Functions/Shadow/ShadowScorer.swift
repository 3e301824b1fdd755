import Foundation
import Offload
import Recommender
import Synchronization

/// Scores sampled requests with the shadow model after the rider's answer is made, on ``Offload/background``
/// (one thread at a lower priority), and records how the two lists compare.
///
/// Nothing here can reach an answer: the request path only hands a job over (a counter check and a task, no
/// waiting), the job owns copies of what it compares, and its failure is counted, never thrown. When the shadow
/// falls behind (more than `capacity` jobs waiting) new samples are dropped and counted as `dropped`, so a slow
/// shadow costs coverage, never latency or memory.
final class ShadowScorer: Sendable {
    /// How the shadow produces its list: the model's recommendations (tests inject slow or failing ones).
    typealias Scoring =
        @Sendable (_ model: TrainedModel, _ userId: String, _ limit: Int, _ excludeSeen: Bool) throws ->
        [String]

    /// The model's own top-`limit`, as the served side computes it.
    static let modelScoring: Scoring = { model, userId, limit, excludeSeen in
        model.recommendations(forUser: userId, limit: limit, excludeSeen: excludeSeen).items.map(\.itemId)
    }

    /// Jobs that may wait for the background thread before samples are dropped.
    static let defaultCapacity = 256

    /// One sampled request: what was served and what to score it with.
    struct Job: Sendable {
        var experimentId: String
        var version: String
        var variant: String
        var userId: String
        var servedItems: [String]
        var excludeSeen: Bool
        /// The shadow model, or `nil` when its version did not load (the sample counts as an error).
        var model: TrainedModel?
        /// The model that served the answer: the rider's activity is read from its history, off the request path.
        var served: TrainedModel
        var at: Date
    }

    private let capacity: Int
    private let scoring: Scoring
    private let tallies: TallyAccumulator
    private let metrics: ShadowMetrics
    private let waiting = Atomic(0)

    init(
        tallies: TallyAccumulator, metrics: ShadowMetrics, capacity: Int = ShadowScorer.defaultCapacity,
        scoring: @escaping Scoring = ShadowScorer.modelScoring
    ) {
        self.tallies = tallies
        self.metrics = metrics
        self.capacity = capacity
        self.scoring = scoring
    }

    /// Hands `job` to the background thread, or counts it dropped when too many wait; never blocks.
    func submit(_ job: Job) {
        guard waiting.add(1, ordering: .relaxed).newValue <= capacity else {
            waiting.subtract(1, ordering: .relaxed)
            record(job, .dropped, latencyMs: 0, activity: RiderActivity(userId: job.userId, in: job.served))
            return
        }
        Task(executorPreference: Offload.background) { [self] in
            defer { waiting.subtract(1, ordering: .relaxed) }
            score(job)
        }
    }

    /// Jobs handed over and not yet finished.
    var backlog: Int { waiting.load(ordering: .relaxed) }

    private func score(_ job: Job) {
        let started = ContinuousClock.now
        let result: ShadowOutcome.Result
        do {
            guard let model = job.model else { throw ShadowModelMissing() }
            let shadow = try scoring(model, job.userId, job.servedItems.count, job.excludeSeen)
            result = ShadowOutcome.compare(served: job.servedItems, shadow: shadow)
        } catch {
            result = .failed
        }
        let latency = Recommend.milliseconds(started.duration(to: .now))
        record(job, result, latencyMs: latency, activity: RiderActivity(userId: job.userId, in: job.served))
    }

    private func record(
        _ job: Job, _ result: ShadowOutcome.Result, latencyMs: Double, activity: RiderActivity
    ) {
        let outcome = ShadowOutcome(
            experimentId: job.experimentId, version: job.version, variant: job.variant, activity: activity,
            userId: job.userId, result: result, latencyMs: latencyMs, at: job.at)
        tallies.shadow(outcome)
        metrics.record(outcome)
    }
}

/// The shadow's version did not load on this instance.
private struct ShadowModelMissing: Error {}
