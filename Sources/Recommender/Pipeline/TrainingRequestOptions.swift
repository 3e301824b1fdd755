extension TrainingJob.Request {
    /// A request from user-facing options and configuration, as `POST /train` and `rideease train` receive them.
    ///
    /// - Parameters:
    ///   - configuration: reads `DATA_SNAPSHOT_ID` (pins the snapshot), `RIDEEASE_GATE_MAX_NDCG_DROP` (turns the
    ///     gate on, e.g. `0.05`), `RIDEEASE_TRAIN_THREADS` (the fit's threads, 1-1024; benchmarks measure the
    ///     speed-up over one), `PIPELINE_GIT_SHA` and `CONTAINER_IMAGE_DIGEST` (lineage).
    ///   - hyperparameters: fixed values (e.g. `factors`, `regularization`, `alpha`); any value turns tuning off.
    public init(
        algorithm: String?,
        tune: Bool?,
        snapshotId: String?,
        hyperparameters: [String: Double] = [:],
        configuration: [String: String]
    ) throws(TrainingError) {
        self.init()
        if let algorithm {
            guard let parsed = Algorithm(rawValue: algorithm) else {
                let known = Algorithm.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidRequest("algorithm \"\(algorithm)\" must be one of: \(known)")
            }
            self.algorithm = parsed
        }
        self.tune = hyperparameters.isEmpty ? tune ?? true : false
        do {
            _ = try ModelConfiguration(algorithm: self.algorithm, hyperparameters: hyperparameters)
        } catch {
            throw .invalidRequest(error.description)
        }
        self.hyperparameters = hyperparameters
        if let snapshot = snapshotId ?? configuration["DATA_SNAPSHOT_ID"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard DataSnapshot.isValidId(snapshot) else {
                throw .invalidRequest("snapshotId \"\(snapshot)\" is not a snapshot id (snap- and 16 hex digits)")
            }
            self.snapshotId = snapshot
        }
        if let text = configuration["RIDEEASE_GATE_MAX_NDCG_DROP"], !text.isEmpty {
            guard let drop = Double(text), (0...1).contains(drop) else {
                throw .invalidRequest("RIDEEASE_GATE_MAX_NDCG_DROP must be a fraction from 0 to 1, not \"\(text)\"")
            }
            gateMaxRelativeDrop = drop
        }
        if let text = configuration["RIDEEASE_TRAIN_THREADS"], !text.isEmpty {
            guard let count = Int(text), (1...1024).contains(count) else {
                throw .invalidRequest("RIDEEASE_TRAIN_THREADS must be a whole number 1-1024, got \"\(text)\"")
            }
            threads = count
        }
        if let sha = configuration["PIPELINE_GIT_SHA"], !sha.isEmpty { pipelineGitSha = sha }
        if let digest = configuration["CONTAINER_IMAGE_DIGEST"], !digest.isEmpty { containerImageDigest = digest }
    }
}
