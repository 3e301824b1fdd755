import Foundation
import FunctionRuntime
import Scheduler

/// Endpoints the host serves itself, beside the manifest's functions, under the reserved `/_` prefix:
/// `GET /_scheduler/jobs` (schedules, next fire times, recent runs) and `POST /_scheduler/jobs/{name}/run`
/// (run a scheduled function now, recorded like a scheduled run and never overlapping one).
/// Both need the admin key, like any function with `auth: adminKey`. `/_console…` is the web console, when on.
struct BuiltInRoutes: Sendable {
    let scheduled: ScheduledFunctions?
    let invoker: FunctionInvoker
    /// The web console, or `nil` when `serve --no-console` turned it off.
    var console: Console? = nil

    /// The answer for `path`, or `nil` when it is not a built-in.
    func respond(method: String, path: String, headers: [String: String]) async -> FunctionResponse? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if segments.first == Console.prefix {
            return await console?.respond(method: method, segments: Array(segments.dropFirst()), headers: headers)
        }
        guard segments.first == "_scheduler", segments.count >= 2, segments[1] == "jobs" else { return nil }
        if let denied = invoker.adminCheck(headers: headers) { return denied.response }
        guard let scheduled else { return FunctionError.notFound("no scheduler runs in this process").response }
        switch (method, segments.count) {
        case ("GET", 2):
            do {
                return try .json(try await JobsReport(scheduled))
            } catch {
                return FunctionError.unavailable("scheduler state cannot be read: \(error)").response
            }
        case ("POST", 4) where segments[3] == "run":
            do {
                return try .json(try await scheduled.runner.trigger(job: segments[2]))
            } catch let error as SchedulerError {
                return Self.map(error).response
            } catch {
                return FunctionError.unavailable("scheduler state cannot be written: \(error)").response
            }
        case (_, 2):
            return FunctionError.methodNotAllowed(method, allowed: ["GET"]).response
        case (_, 4) where segments[3] == "run":
            return FunctionError.methodNotAllowed(method, allowed: ["POST"]).response
        default:
            return FunctionError.notFound("no built-in serves \(method) \(path)").response
        }
    }

    static func map(_ error: SchedulerError) -> FunctionError {
        switch error {
        case .unknownJob(let name): .notFound("no scheduled function named \"\(name)\"")
        case .alreadyRunning: .conflict(error.description)
        default: .unavailable(error.description)
        }
    }
}
