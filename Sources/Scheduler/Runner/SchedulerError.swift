/// What can go wrong when running, triggering or inspecting scheduled jobs.
public enum SchedulerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No job with this name is scheduled.
    case unknownJob(String)
    /// Two jobs were given the same name.
    case duplicateJob(String)
    /// A job name that cannot be used as a storage key segment.
    case invalidJobName(String, reason: String)
    /// The job is running (here or in another process sharing the store); a manual run was refused.
    case alreadyRunning(job: String, owner: String)
    /// The job's record in storage could not be decoded.
    case unreadableRecord(key: String, reason: String)
    /// Other writers kept changing the record; we gave up after several compare-and-swap attempts.
    case contention(key: String, attempts: Int)

    public var description: String {
        switch self {
        case .unknownJob(let name):
            return "no scheduled job is named \"\(name)\""
        case .duplicateJob(let name):
            return "two scheduled jobs are named \"\(name)\""
        case .invalidJobName(let name, let reason):
            return "invalid job name \"\(name)\": \(reason)"
        case .alreadyRunning(let job, let owner):
            return "job \"\(job)\" is already running (owner \(owner)); wait for it to finish"
        case .unreadableRecord(let key, let reason):
            return "cannot read the scheduler record \"\(key)\": \(reason)"
        case .contention(let key, let attempts):
            return "gave up updating \"\(key)\" after \(attempts) attempts: other writers kept changing it"
        }
    }
}
