import Foundation
import FunctionRuntime
import Recommender
import Scheduler
import Storage

/// `train` (weekly schedule, `POST /train`, `rideease train`): one training run on the current events.
///
/// Body (all optional): `{"algorithm":"ials"|"ease"|"popularity","tune":true,"snapshotId":"snap-…",
/// "hyperparameters":{"factors":64,"regularization":0.03,"alpha":20,"iterations":10}}`.
/// `DATA_SNAPSHOT_ID` pins the snapshot; `RIDEEASE_GATE_MAX_NDCG_DROP` (e.g. `0.05`) turns the quality gate on;
/// `RIDEEASE_TRAIN_THREADS` sets the fit's threads. Above ``TrainingSizeBound`` (event bytes) a run inside the
/// serving service (and `rideease invoke`/`jobs run`, which emulate its triggers) answers 409 and points to the
/// Cloud Run Job; `rideease train` is what that job runs, so the bound does not apply there.
struct Train: FunctionHandler {
    let job: TrainingJob
    let store: any ObjectStore
    let metrics: TrainingMetrics
    /// Whether the event log's size is bounded: as in the serving service, not in the training job.
    let boundsEventLog: Bool

    struct Options: Decodable {
        var algorithm: String?
        var tune: Bool?
        var snapshotId: String?
        var hyperparameters: [String: Double]?
    }

    /// Builds the snapshot and the training matrix from every event (the fit itself runs on its own thread).
    var isCPUHeavy: Bool { true }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let options = request.body.isEmpty ? Options() : try request.decodeJSON(Options.self)
        let logger = context.logger
        do {
            if boundsEventLog {
                let limit = try TrainingSizeBound.maxEventBytes(context.configuration).get()
                let bytes = try await TrainingSizeBound.eventBytes(in: store)
                guard bytes <= limit else {
                    throw FunctionError.conflict(TrainingSizeBound.refusal(eventBytes: bytes, limit: limit))
                }
            }
            var training = try TrainingJob.Request(
                algorithm: options.algorithm,
                tune: options.tune,
                snapshotId: options.snapshotId,
                hyperparameters: options.hyperparameters ?? [:],
                configuration: context.configuration
            )
            // The gate compares with the control of the experiment riders are served, whichever it is now.
            if let (active, _) = try await ExperimentRecordStore(store: store).active() {
                training.experimentId = active.experimentId
            }
            let progress =
                context.progress ?? { line in logger.info("training progress", metadata: ["step": .string(line)]) }
            let outcome = try await job.run(training, progress: progress)
            if let model = outcome.model { metrics.record(model) }
            return try .json(outcome)
        } catch let error as TrainingError {
            switch error {
            case .alreadyRunning: throw FunctionError.conflict(error.description)
            case .noData: throw FunctionError.failedPrecondition(error.description)
            case .invalidRequest: throw FunctionError.invalidArgument(error.description)
            }
        } catch let error as SnapshotError {
            switch error {
            case .invalidId: throw FunctionError.invalidArgument(error.description)
            case .notFound: throw FunctionError.notFound(error.description)
            case .contentMismatch: throw FunctionError.failedPrecondition(error.description)
            }
        } catch let error as RecommenderError {
            throw FunctionError.failedPrecondition(error.description)
        }
    }
}
