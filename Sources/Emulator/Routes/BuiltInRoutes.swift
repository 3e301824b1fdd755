import Console
import Foundation
import FunctionRuntime
import Scheduler

/// Endpoints the host serves itself, beside the manifest's functions, declared in one table (``table``) with their
/// methods: `GET /metrics`, `GET /openapi.yaml`, and under the reserved `/_` prefix `GET /_scheduler/jobs`
/// (schedules, next fire times, recent runs) and `POST /_scheduler/jobs/{name}/run` (run a scheduled function now,
/// recorded like a scheduled run and never overlapping one). The scheduler's endpoints need the admin key, like any
/// function with `auth: adminKey`. `/_console…` is mounted for the web console, when on.
///
/// A miss is refused by ``Router/Match/refusal(method:notFound:)``, the same 404 and 405 (with `Allow`) the
/// manifest's routes answer.
struct BuiltInRoutes: Sendable {
    /// What a built-in path serves.
    enum Endpoint: Sendable {
        case metrics, openAPI, jobs, runJob
    }

    /// Built-ins answer exact paths (`/metrics/` is not `/metrics`, it goes to the functions); the scheduler's
    /// endpoints need an exact method, `HEAD` included.
    static let table = Router<Endpoint>(
        [
            .init("GET", try! PathTemplate("/metrics"), .metrics),
            .init("GET", try! PathTemplate(OpenAPIDocument.path), .openAPI),
            .init("GET", try! PathTemplate("/_scheduler/jobs"), .jobs, answersHead: false),
            .init("POST", try! PathTemplate("/_scheduler/jobs/{name}/run"), .runJob),
        ], ignoresTrailingSlash: false)

    let scheduled: ScheduledFunctions?
    let invoker: FunctionInvoker
    /// The web console, or `nil` when `serve --no-console` turned it off.
    var console: Console? = nil

    /// The answer for `path`, given its ``table`` lookup; `nil` when the path is not a built-in (a function's).
    func respond(
        _ match: Router<Endpoint>.Match, method: String, path: String, headers: [String: String]
    ) async -> FunctionResponse? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if segments.first == Console.prefix, let console {
            return await console.respond(method: method, segments: Array(segments.dropFirst()), headers: headers)
        }
        if case .notFound = match, !path.hasPrefix(ManifestLoader.reservedPrefix) { return nil }
        if segments.count >= 2, segments[0] == "_scheduler", segments[1] == "jobs" {
            if let denied = invoker.adminCheck(headers: headers) { return denied.response }
            guard scheduled != nil else { return FunctionError.notFound("no scheduler runs in this process").response }
        }
        switch match {
        case .found(.openAPI, _):
            return FunctionResponse(
                status: 200, headers: ["Content-Type": OpenAPIDocument.contentType],
                body: Data(OpenAPIDocument.text.utf8))
        case .found(.jobs, _):
            guard let scheduled else { return nil }
            do {
                return try .json(try await JobsReport(scheduled))
            } catch {
                return FunctionError.unavailable("scheduler state cannot be read: \(error)").response
            }
        case .found(.runJob, let parameters):
            guard let scheduled, let name = parameters["name"] else { return nil }
            do {
                return try .json(try await scheduled.runner.trigger(job: name))
            } catch let error as SchedulerError {
                return FunctionError(error).response
            } catch {
                return FunctionError.unavailable("scheduler state cannot be written: \(error)").response
            }
        case .found(.metrics, _):
            // The responder streams the exposition itself, without copying it into a function response.
            return nil
        case .methodNotAllowed, .notFound:
            return match.refusal(method: method, notFound: "no built-in serves \(method) \(path)")?.response
        }
    }
}
