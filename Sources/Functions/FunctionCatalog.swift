import Experiments
import FunctionRuntime
import Recommender
import Storage

/// The RideEase handlers by the names `functions.yaml` uses.
public enum FunctionCatalog {
    /// Help texts and buckets of every metric the runtime and the handlers create.
    public static var metricDescriptions: [MetricDescription] {
        FunctionMetrics.descriptions + ServingMetrics.descriptions + ShadowMetrics.descriptions
            + TrainingMetrics.descriptions
    }

    /// Every handler name the catalog provides.
    public static var handlerNames: Set<String> {
        Set([
            "healthz", "ingestEvents", "train", "listModels", "recommend", "getTrace", "switchModel", "rollbackModel",
            "experimentSummary", "experimentTimeline", "listExperiments", "createExperiment", "getExperiment",
            "startExperiment", "stopExperiment", "getShadow", "startShadow", "stopShadow", "shadowSummary",
            "eraseRider", "getErasure", "resumeErasures", "compactSegments",
        ])
    }

    /// Handlers that share one ``ServingContext`` (experiment, model server, deployment poll): their functions
    /// declare its variables alike.
    static let servingHandlers = [
        "healthz", "ingestEvents", "recommend", "getTrace", "experimentSummary", "experimentTimeline", "switchModel",
        "rollbackModel", "listModels", "listExperiments", "createExperiment", "getExperiment", "startExperiment",
        "stopExperiment", "getShadow", "startShadow", "stopShadow", "shadowSummary", "eraseRider", "resumeErasures",
    ]

    /// Builds every handler once, with its dependencies; each reads only what its functions declare in `env:`.
    public static func makeBundle(_ dependencies: HandlerDependencies) throws -> FunctionBundle {
        try makeBundle(dependencies, shadowScoring: ShadowScorer.modelScoring)
    }

    /// The bundle with the shadow's scoring replaced (tests inject a failing or slow shadow model).
    static func makeBundle(
        _ dependencies: HandlerDependencies, shadowScoring: @escaping ShadowScorer.Scoring
    ) throws -> FunctionBundle {
        let clock = dependencies.clock
        let store = dependencies.storage
        let events = try SegmentWriter(
            store: store, configuration: .init(prefix: "events"), now: { clock.now() }, logger: dependencies.logger)
        let traces = try SegmentWriter(
            store: store, configuration: .init(prefix: "traces"), now: { clock.now() }, logger: dependencies.logger)
        let settings = try dependencies.configuration.shared(ServingContext.variables, by: servingHandlers)
        let experiment = try ServingContext.experiment(from: settings)
        let metrics = ServingMetrics(
            variants: experiment.variantNames, experimentId: experiment.id, factory: dependencies.metricsFactory)
        let shadowMetrics = ShadowMetrics(variants: experiment.variantNames, factory: dependencies.metricsFactory)
        let tallies = TallyAccumulator()
        let serving = ServingContext(
            server: ModelServer(
                seed: experiment, store: store, metrics: metrics, shadowMetrics: shadowMetrics,
                logger: dependencies.logger, now: { clock.now() }),
            records: ExperimentRecordStore(store: store),
            store: store,
            places: PlaceDirectory(store: store, metrics: metrics, logger: dependencies.logger),
            traces: TraceLog(writer: traces, store: store),
            tallies: tallies,
            shadow: ShadowScorer(tallies: tallies, metrics: shadowMetrics, scoring: shadowScoring),
            metrics: metrics,
            training: TrainingMetrics(factory: dependencies.metricsFactory),
            registry: ModelRegistry(store: store),
            clock: clock,
            pollInterval: try ServingContext.pollInterval(from: settings)
        )
        let deployments = DeploymentStore(store: store)
        let erasures = ErasureRunner()
        let handlers: [String: any FunctionHandler] = [
            "healthz": Healthz(startedAt: dependencies.startedAt, clock: clock, serving: serving),
            "ingestEvents": IngestEvents(writer: events, clock: clock, serving: serving),
            "recommend": Recommend(
                serving: serving,
                excludeSeen: dependencies.configuration.values(for: "recommend")[Recommend.excludeSeenVariable]
                    == "true"),
            "getTrace": GetTrace(serving: serving),
            "experimentSummary": ExperimentSummaryHandler(serving: serving),
            "experimentTimeline": ExperimentTimelineHandler(serving: serving),
            "listExperiments": ListExperiments(serving: serving),
            "createExperiment": CreateExperiment(serving: serving),
            "getExperiment": GetExperiment(serving: serving),
            "startExperiment": StartExperiment(serving: serving, deployments: deployments),
            "stopExperiment": StopExperiment(serving: serving),
            "getShadow": GetShadow(serving: serving),
            "startShadow": StartShadow(serving: serving),
            "stopShadow": StopShadow(serving: serving),
            "shadowSummary": ShadowSummaryHandler(serving: serving),
            "eraseRider": EraseRider(serving: serving, runner: erasures),
            "getErasure": GetErasure(),
            "resumeErasures": ResumeErasures(serving: serving),
            "switchModel": SwitchModel(serving: serving, deployments: deployments, rollback: false),
            "rollbackModel": SwitchModel(serving: serving, deployments: deployments, rollback: true),
            "train": Train(
                job: TrainingJob(store: dependencies.storage, owner: dependencies.instanceId, now: { clock.now() }),
                store: dependencies.storage,
                metrics: serving.training,
                boundsEventLog: dependencies.runsInService
            ),
            "listModels": ListModels(registry: ModelRegistry(store: store), deployments: deployments, serving: serving),
            "compactSegments": CompactSegments(
                store: store, clock: clock, retention: dependencies.retention,
                owner: dependencies.instanceId + "/compact"),
        ]
        return FunctionBundle(
            handlers: handlers,
            backgroundTasks: [
                SegmentWriterTask(writer: events), SegmentWriterTask(writer: traces),
                DeploymentWatcher(serving: serving),
                TallyWriter(accumulator: serving.tallies, store: store, clock: clock, logger: dependencies.logger),
                erasures,
            ]
        )
    }
}
