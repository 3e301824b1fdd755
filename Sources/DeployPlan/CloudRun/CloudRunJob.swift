/// A Cloud Run Job in the `run.googleapis.com/v1` form `gcloud run jobs replace` reads: training that may outlast
/// Cloud Scheduler's 30-minute HTTP deadline runs here, as `rideease train` in the same image.
struct CloudRunJob: Codable, Equatable {
    struct Spec: Codable, Equatable {
        var template: ExecutionTemplate
    }

    struct ExecutionTemplate: Codable, Equatable {
        var spec: ExecutionSpec
    }

    /// One execution: a single task, since a training run is one process.
    struct ExecutionSpec: Codable, Equatable {
        var taskCount: Int
        var parallelism: Int
        var template: TaskTemplate
    }

    struct TaskTemplate: Codable, Equatable {
        var spec: TaskSpec
    }

    struct TaskSpec: Codable, Equatable {
        var maxRetries: Int
        var timeoutSeconds: Int
        var serviceAccountName: String?
        var containers: [CloudRunContainer]
    }

    var apiVersion = "run.googleapis.com/v1"
    var kind = "Job"
    var metadata: CloudRunService.Metadata
    var spec: Spec
}
