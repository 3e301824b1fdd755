import FunctionRuntime

extension FunctionCatalog {
    /// The `train` function where no manifest is at hand (an operator's scratch folder): the repository
    /// manifest's declaration, which a test keeps equal to it.
    public static let standaloneTrain = FunctionDeclaration(
        name: "train",
        handler: "train",
        timeout: .seconds(30 * 60),
        environment: [
            "PIPELINE_GIT_SHA", "CONTAINER_IMAGE_DIGEST", "DATA_SNAPSHOT_ID", "RIDEEASE_GATE_MAX_NDCG_DROP",
            "RIDEEASE_TRAIN_THREADS", "RIDEEASE_HTTP_TRAIN_MAX_EVENT_BYTES",
        ]
    )
}
