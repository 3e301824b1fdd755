import FunctionRuntime

/// The RideEase handlers by the names `functions.yaml` uses.
public enum FunctionCatalog {
    /// Handlers declared by the design whose issues have not landed yet; they answer 501 with the reason.
    static let pending: [String: String] = [
        "recommend": "recommendations arrive with the serving issue",
        "getTrace": "traces arrive with the serving issue",
        "listModels": "the model registry arrives with the training issue",
        "switchModel": "hot-swap arrives with the serving issue",
        "rollbackModel": "hot-swap arrives with the serving issue",
        "experimentSummary": "experiment analysis arrives with the experiments issue",
        "train": "training arrives with the training issue",
        "ingestEvents": "event ingestion arrives with the training issue",
    ]

    /// Every handler name the catalog provides.
    public static var handlerNames: Set<String> {
        Set(pending.keys).union(["healthz"])
    }

    /// Builds every handler once, with its dependencies.
    public static func makeBundle(_ dependencies: HandlerDependencies) -> FunctionBundle {
        var handlers: [String: any FunctionHandler] = [
            "healthz": Healthz(startedAt: dependencies.startedAt, clock: dependencies.clock)
        ]
        for (name, reason) in pending {
            handlers[name] = Unimplemented(reason: reason)
        }
        return FunctionBundle(handlers: handlers)
    }
}
