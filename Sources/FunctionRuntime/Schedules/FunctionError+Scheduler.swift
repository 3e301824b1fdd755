import Scheduler

extension FunctionError {
    /// How a scheduler refusal is answered over HTTP, by `/_scheduler/jobs/{name}/run` and the console's run button
    /// alike: an unknown job is 404, a run already in progress 409, anything else 503.
    public init(_ error: SchedulerError) {
        switch error {
        case .unknownJob(let name): self = .notFound("no scheduled function named \"\(name)\"")
        case .alreadyRunning: self = .conflict(error.description)
        default: self = .unavailable(error.description)
        }
    }
}
