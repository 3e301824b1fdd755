import FunctionRuntime
import Recommender
import Storage

/// The RideEase handlers by the names `functions.yaml` uses.
public enum FunctionCatalog {
    /// Handlers declared by the design whose issues have not landed yet; they answer 501 with the reason.
    static let pending: [String: String] = [
        "recommend": "recommendations arrive with the serving issue",
        "getTrace": "traces arrive with the serving issue",
        "switchModel": "hot-swap arrives with the serving issue",
        "rollbackModel": "hot-swap arrives with the serving issue",
        "experimentSummary": "experiment analysis arrives with the experiments issue",
    ]

    /// Every handler name the catalog provides.
    public static var handlerNames: Set<String> {
        Set(pending.keys).union(["healthz", "ingestEvents", "train", "listModels"])
    }

    /// Builds every handler once, with its dependencies.
    public static func makeBundle(_ dependencies: HandlerDependencies) throws -> FunctionBundle {
        let clock = dependencies.clock
        let events = try SegmentWriter(
            store: dependencies.storage,
            configuration: .init(prefix: "events"),
            now: { clock.now() },
            logger: dependencies.logger
        )
        var handlers: [String: any FunctionHandler] = [
            "healthz": Healthz(startedAt: dependencies.startedAt, clock: dependencies.clock),
            "ingestEvents": IngestEvents(writer: events, clock: dependencies.clock),
            "train": Train(
                job: TrainingJob(store: dependencies.storage, owner: dependencies.instanceId, now: { clock.now() })
            ),
            "listModels": ListModels(registry: ModelRegistry(store: dependencies.storage)),
        ]
        for (name, reason) in pending {
            handlers[name] = Unimplemented(reason: reason)
        }
        return FunctionBundle(handlers: handlers, backgroundTasks: [SegmentWriterTask(writer: events)])
    }
}
