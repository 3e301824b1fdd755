import Foundation
import FunctionRuntime
import Scheduler

/// The local web console under `/_console`: server-rendered pages for functions, models, experiments, traces
/// and logs, plus the few POSTs its buttons send. Pages need a session when an admin key is configured (see
/// ``ConsoleSession``); actions that change state need the admin key configured at all, like the admin API.
struct Console: Sendable {
    static let prefix = "_console"

    let api: ConsoleAPI
    let scheduled: ScheduledFunctions?
    let session: ConsoleSession
    let logs: RecentLogLines
    let clock: any WallClock

    init(
        runtime: EmulatorRuntime, logs: RecentLogLines, clock: any WallClock = SystemWallClock()
    ) {
        api = ConsoleAPI(routes: RouteTable(manifest: runtime.manifest), invoker: runtime.invoker)
        scheduled = runtime.scheduled
        session = ConsoleSession(adminKey: runtime.adminKey)
        self.logs = logs
        self.clock = clock
    }

    private var manifest: FunctionManifest { api.invoker.manifest }

    /// The answer to a request under `/_console`; `segments` are the path's segments after `_console`.
    func respond(method: String, segments: [String], headers: [String: String]) async -> FunctionResponse {
        let now = clock.now()
        guard let decoded = Self.decode(segments) else {
            return ConsolePage.problem(.invalidArgument("the path is not valid percent-encoded UTF-8")).response
        }
        switch decoded.first {
        case "assets"?: return asset(method: method, decoded)
        case "session"?: return sessionRequest(method: method, decoded, headers: headers, now: now)
        case "actions"?:
            guard method == "POST" else { return FunctionError.methodNotAllowed(method, allowed: ["POST"]).response }
            return await action(decoded, headers: headers, now: now)
        default:
            guard method == "GET" || method == "HEAD" else {
                return ConsolePage.problem(.methodNotAllowed(method, allowed: ["GET", "HEAD"])).response
            }
            return await page(decoded, headers: headers, now: now)
        }
    }

    private func page(_ segments: [String], headers: [String: String], now: Date) async -> FunctionResponse {
        guard let first = segments.first, !first.isEmpty else {
            return FunctionResponse(status: 303, headers: ["Location": "/_console/functions"])
        }
        guard session.isSignedIn(headers, now: now) else {
            return SignInPage.page(adminKeyName: manifest.adminKeySecret).response
        }
        let signedIn = session.required
        let actionsEnabled = session.required
        func show(_ section: ConsolePage.Section, _ content: String, title: String? = nil) -> FunctionResponse {
            ConsolePage(title: title ?? section.title, section: section, content: content, signedIn: signedIn)
                .response
        }
        func notFound() -> FunctionResponse {
            ConsolePage.problem(
                .notFound("the console has no page at /_console/\(segments.joined(separator: "/"))"),
                signedIn: signedIn
            ).response
        }
        guard let section = ConsolePage.Section(rawValue: first) else { return notFound() }
        let rest = Array(segments.dropFirst()).filter { !$0.isEmpty }
        switch (section, rest.count) {
        case (.functions, 0):
            let page = await FunctionsPage.load(
                manifest: manifest, scheduled: scheduled, logs: logs, now: now, actionsEnabled: actionsEnabled)
            return show(.functions, page.render())
        case (.models, 0):
            return show(.models, await ModelsPage.load(api: api, actionsEnabled: actionsEnabled).render())
        case (.experiments, 0...1):
            let hours = rest.first.map { Int($0) } ?? ExperimentsPage.defaultWindow
            guard let hours, (1...720).contains(hours) else {
                return ConsolePage.problem(
                    .invalidArgument("the window must be a whole number of hours from 1 to 720"),
                    section: .experiments, signedIn: signedIn
                ).response
            }
            return show(.experiments, await ExperimentsPage.load(api: api, hours: hours).render())
        case (.traces, 0...1):
            let page = await TracesPage.load(api: api, manifest: manifest, logs: logs, requestId: rest.first)
            var response = show(.traces, page.render())
            // A lookup that found nothing answers with the trace function's status (404, 400), not 200.
            if case .failure(let error) = page.trace { response.status = error.status }
            return response
        case (.logs, 0...2):
            let function = rest.first.flatMap { $0 == "all" ? nil : $0 }
            let page = LogsPage.load(
                manifest: manifest, logs: logs, function: function, requestId: rest.dropFirst().first)
            return show(.logs, page.render())
        default:
            return notFound()
        }
    }

    private func asset(method: String, _ segments: [String]) -> FunctionResponse {
        guard method == "GET" || method == "HEAD" else {
            return FunctionError.methodNotAllowed(method, allowed: ["GET", "HEAD"]).response
        }
        var response: FunctionResponse
        switch segments.dropFirst().first {
        case "console.css"? where segments.count == 2:
            response = .text(ConsoleAssets.stylesheet, contentType: "text/css; charset=utf-8")
        case "console.js"? where segments.count == 2:
            response = .text(ConsoleAssets.script, contentType: "text/javascript; charset=utf-8")
        default:
            return FunctionError.notFound("no console asset \(segments.joined(separator: "/"))").response
        }
        response.headers.merge(ConsolePage.securityHeaders) { _, new in new }
        return response
    }

    /// `POST /_console/session` (header `x-api-key`) signs in; `POST /_console/session/end` signs out.
    private func sessionRequest(
        method: String, _ segments: [String], headers: [String: String], now: Date
    ) -> FunctionResponse {
        guard method == "POST" else { return FunctionError.methodNotAllowed(method, allowed: ["POST"]).response }
        guard ConsoleSession.isConsoleRequest(headers) else { return Self.forbiddenCrossSite.response }
        switch segments.count {
        case 1:
            if let denied = api.invoker.adminCheck(headers: ["x-api-key": headers["x-api-key"] ?? ""]) {
                return denied.response
            }
            guard let cookie = session.issue(now: now, headers: headers) else {
                return FunctionError.unavailable("no admin key is configured, so the console needs no sign-in")
                    .response
            }
            var response = Self.message("signed in")
            response.headers["Set-Cookie"] = cookie
            return response
        case 2 where segments[1] == "end":
            var response = Self.message("signed out")
            response.headers["Set-Cookie"] = ConsoleSession.clear(headers: headers)
            return response
        default:
            return FunctionError.notFound("no console endpoint /_console/\(segments.joined(separator: "/"))").response
        }
    }

    /// The buttons: `switch/{target}/{version}`, `rollback`, `run/{job}`. They go through the same functions and
    /// scheduler as the admin API, after the console's own checks.
    private func action(_ segments: [String], headers: [String: String], now: Date) async -> FunctionResponse {
        guard ConsoleSession.isConsoleRequest(headers) else { return Self.forbiddenCrossSite.response }
        // Without a key the admin API is off; the console does not open a second door to it.
        if !session.required, let disabled = api.invoker.adminCheck(headers: [:]) { return disabled.response }
        guard session.isSignedIn(headers, now: now) else {
            return FunctionError.unauthenticated("sign in to the console first").response
        }
        switch (segments.dropFirst().first, segments.count) {
        case ("switch"?, 4):
            struct Body: Encodable {
                var version: String
                var target: String
            }
            let body = (try? JSONCoding.encoder.encode(Body(version: segments[3], target: segments[2]))) ?? Data()
            return Self.summarize(await api.call("POST", "/admin/switch-model", body: body))
        case ("rollback"?, 2):
            return Self.summarize(await api.call("POST", "/admin/rollback", body: Data("{}".utf8)))
        case ("run"?, 3):
            guard let scheduled else { return FunctionError.notFound("no scheduler runs in this process").response }
            do {
                let run = try await scheduled.runner.trigger(job: segments[2])
                return Self.message(
                    "\(segments[2]) \(run.status.rawValue) in \(ConsoleFormat.duration(seconds: run.durationSeconds))"
                        + (run.message.map { ": \($0)" } ?? ""))
            } catch let error as SchedulerError {
                return BuiltInRoutes.map(error).response
            } catch {
                return FunctionError.unavailable("scheduler state cannot be written: \(error)").response
            }
        default:
            return FunctionError.notFound("no console action /_console/\(segments.joined(separator: "/"))").response
        }
    }

    private static let forbiddenCrossSite = FunctionError(
        status: 403, code: "permission_denied", message: "console requests must come from the console's own pages")

    /// A JSON `{"message": …}` answer, which the console's script shows.
    private static func message(_ text: String) -> FunctionResponse {
        (try? FunctionResponse.json(["message": text])) ?? FunctionResponse(status: 200)
    }

    /// A deployment change as one sentence, or the function's error unchanged.
    private static func summarize(_ response: FunctionResponse) -> FunctionResponse {
        struct Answer: Decodable {
            var generation: Int
            var current: [String: String]
        }
        guard (200..<300).contains(response.status),
            let answer = try? JSONCoding.decoder.decode(Answer.self, from: response.body)
        else { return response }
        let serving = answer.current.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return message("Generation \(answer.generation): \(serving.joined(separator: ", ")).")
    }

    /// Percent-decoded segments, or `nil` when one is not valid.
    static func decode(_ segments: [String]) -> [String]? {
        var decoded: [String] = []
        for segment in segments {
            guard let value = segment.removingPercentEncoding else { return nil }
            decoded.append(value)
        }
        return decoded
    }
}
