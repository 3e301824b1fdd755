/// What a deployment needs beyond `functions.yaml`: where the image is, which project and region, where state
/// lives and who calls the scheduled functions. The values come from `rideease deploy plan`'s options.
package struct DeployTarget: Sendable, Equatable {
    /// How the scheduled training function is started.
    package enum TrainingTrigger: String, Sendable, CaseIterable {
        /// Cloud Scheduler calls `POST /train` on the service (bounded by its 30-minute attempt deadline).
        case http
        /// Cloud Scheduler starts the Cloud Run Job, whose task may run for hours.
        case job
    }

    /// The image reference, ideally pinned by digest (`…/rideease@sha256:…`).
    var image: String
    /// The digest when `image` is a tag; models record it as lineage.
    var imageDigest: String?
    var project: String
    var region: String
    /// `RIDEEASE_STORAGE` for the service and the job (`gs://bucket/prefix`).
    var storage: String
    /// The service's URL (`https://…run.app`); Cloud Scheduler's HTTP targets need it.
    var serviceURL: String?
    /// The identity the service and the job run as.
    var serviceAccount: String?
    /// The identity Cloud Scheduler signs its tokens with.
    var schedulerServiceAccount: String?
    /// `PIPELINE_GIT_SHA` for lineage.
    var gitSHA: String?
    /// Further variables as `NAME=VALUE`, in the order given.
    var environment: [String] = []
    var trainingTrigger: TrainingTrigger = .http
    /// Rides the training job must handle (the latest snapshot's, or the expected): sizes the job when given.
    var trainingRides: Int?
    /// The serving model's artifact size in bytes (the registry's latest `artifactBytes`): checks that the service
    /// can hold two models during a hot-swap.
    var modelBytes: Int?
    /// Seed an empty store with the demo world and a first model, so the readiness probe can pass at once.
    var seedDemo = false

    package init(
        image: String, imageDigest: String? = nil, project: String, region: String, storage: String,
        serviceURL: String? = nil, serviceAccount: String? = nil, schedulerServiceAccount: String? = nil,
        gitSHA: String? = nil, environment: [String] = [], trainingTrigger: TrainingTrigger = .http,
        trainingRides: Int? = nil, modelBytes: Int? = nil, seedDemo: Bool = false
    ) {
        self.image = image
        self.imageDigest = imageDigest
        self.project = project
        self.region = region
        self.storage = storage
        self.serviceURL = serviceURL
        self.serviceAccount = serviceAccount
        self.schedulerServiceAccount = schedulerServiceAccount
        self.gitSHA = gitSHA
        self.environment = environment
        self.trainingTrigger = trainingTrigger
        self.trainingRides = trainingRides
        self.modelBytes = modelBytes
        self.seedDemo = seedDemo
    }

    /// The digest models' lineage records: the one pinned in `image`, else `imageDigest`.
    var resolvedDigest: String? {
        if let at = image.range(of: "@sha256:") { return String(image[image.index(after: at.lowerBound)...]) }
        return imageDigest
    }

    /// Whether state lives in a bucket, which needs the HMAC keys as secrets.
    var usesObjectStorage: Bool { storage.hasPrefix("gs://") || storage.hasPrefix("s3://") }
}
