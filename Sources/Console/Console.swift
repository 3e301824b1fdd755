import Foundation
import FunctionRuntime
import Functions
import Scheduler

/// The local web console under `/_console`: server-rendered pages for functions, models, experiments, traces
/// and logs, plus the few POSTs its buttons send. Pages need a session when an admin key is configured (see
/// ``ConsoleSession``); actions that change state need the admin key configured at all, like the admin API.
///
/// The console is a client of the bundle, not part of the HTTP host: it reads and acts through the
/// ``FunctionInvoker`` and the scheduler, and answers plain ``FunctionResponse``s. The host (the `Emulator`
/// module) depends on it and mounts it under `/_console`; the console never imports Hummingbird, so its pages
/// can be tested without a server and the host stays the only module that knows the HTTP framework. The other
/// direction (the host defining a protocol the console implements, wired by the executable) would add a
/// protocol with one conformer and still need the host's log ring: this module owns the ring instead
/// (``RecentLogLines``) and the host's log handler writes into it.
package struct Console: Sendable {
    package static let prefix = "_console"

    let api: ConsoleAPI
    let scheduled: ScheduledFunctions?
    let session: ConsoleSession
    let logs: RecentLogLines
    let clock: any WallClock

    /// A console over `invoker`'s functions; `scheduled` for the Functions page and the run buttons, `adminKey`
    /// to sign sessions with (`nil`: the admin pages are open, like the emulator without a key), `viewerKey` to sign
    /// read-only sessions that see the trace pages.
    package init(
        invoker: FunctionInvoker, scheduled: ScheduledFunctions?, adminKey: AdminKey?, viewerKey: AdminKey? = nil,
        logs: RecentLogLines,
        clock: any WallClock = SystemWallClock()
    ) {
        api = ConsoleAPI(invoker: invoker)
        self.scheduled = scheduled
        session = ConsoleSession(adminKey: adminKey, viewerKey: viewerKey)
        self.logs = logs
        self.clock = clock
    }

    /// The console is for people at a laptop: on unless turned off, except on Cloud Run (`K_SERVICE` set) where it
    /// must be asked for.
    package static func isEnabled(flag: Bool?, environment: [String: String]) -> Bool {
        flag ?? (environment["K_SERVICE"] == nil)
    }

    private var manifest: FunctionManifest { api.invoker.manifest }

    /// The answer to a request under `/_console`; `segments` are the path's segments after `_console`.
    package func respond(method: String, segments: [String], headers: [String: String]) async -> FunctionResponse {
        let now = clock.now()
        guard let decoded = Self.decode(segments) else {
            return ConsolePage.problem(.invalidArgument("the path is not valid percent-encoded UTF-8")).response
        }
        let area = Self.area(method: method, first: decoded.first ?? "")
        if let refusal = area.refusal(
            method: method, notFound: "no console page /_console/\(decoded.joined(separator: "/"))")
        {
            // A page's refusal is a page; the assets' and the buttons' are JSON, which the console's script reads.
            return Self.isPage(decoded.first ?? "") ? ConsolePage.problem(refusal).response : refusal.response
        }
        guard case .found(let target, _) = area else { preconditionFailure("a match has no refusal") }
        switch target {
        case .assets: return asset(decoded)
        case .session: return sessionRequest(decoded, headers: headers, now: now)
        case .actions: return await action(decoded, headers: headers, now: now)
        case .page: return await page(decoded, headers: headers, now: now)
        }
    }

    /// What a console path is, by its first segment.
    enum Area: Sendable {
        case assets, session, actions, page
    }

    /// The console's areas and their methods; any other first segment is a page (`GET`, `HEAD`). The table
    /// decides 404 and 405 (with `Allow`) as the host's own routes do.
    static let areas = Router<Area>([
        .init("GET", try! PathTemplate("/assets"), .assets),
        .init("POST", try! PathTemplate("/session"), .session),
        .init("POST", try! PathTemplate("/actions"), .actions),
        .init("GET", try! PathTemplate("/page"), .page),
    ])

    static func isPage(_ first: String) -> Bool { !["assets", "session", "actions"].contains(first) }

    static func area(method: String, first: String) -> Router<Area>.Match {
        areas.match(method: method, path: isPage(first) ? "/page" : "/" + first)
    }

    private func page(_ segments: [String], headers: [String: String], now: Date) async -> FunctionResponse {
        guard let first = segments.first, !first.isEmpty else {
            return FunctionResponse(status: 303, headers: ["Location": "/_console/functions"])
        }
        func signIn() -> FunctionResponse {
            SignInPage.page(adminKeyName: manifest.adminKeySecret, viewerKeyName: manifest.viewerKeySecret).response
        }
        let access = session.access(headers, now: now)
        if first == ConsolePage.Section.traces.rawValue {
            // Traces name riders and where they went: a key is needed even where the admin pages are open.
            if let disabled = api.invoker.viewerCheck(headers: [:]), disabled.status == 503 {
                return ConsolePage.problem(disabled).response
            }
            guard access != nil else { return signIn() }
        } else if !session.isSignedIn(headers, now: now) {
            guard access == .viewer else { return signIn() }
            return ConsolePage.problem(
                .permissionDenied(
                    "the viewer key opens the trace pages only: sign in with the admin key "
                        + "(\(manifest.adminKeySecret)) for this page"),
                signedIn: true
            ).response
        }
        let signedIn = access != nil
        let actionsEnabled = access == .admin
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
        case (.experiments, 0...2):
            return await experimentsPage(rest, signedIn: signedIn, actionsEnabled: actionsEnabled)
        case (.shadow, 0...1):
            return await shadowPage(rest, signedIn: signedIn, actionsEnabled: actionsEnabled)
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

    private func asset(_ segments: [String]) -> FunctionResponse {
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
    private func sessionRequest(_ segments: [String], headers: [String: String], now: Date) -> FunctionResponse {
        guard ConsoleSession.isConsoleRequest(headers) else { return Self.forbiddenCrossSite.response }
        switch segments.count {
        case 1:
            let presented = headers["x-api-key"] ?? ""
            guard let (key, access) = session.key(matching: presented) else {
                if let denied = api.invoker.viewerCheck(headers: ["x-api-key": presented]) { return denied.response }
                return FunctionError.unauthenticated("invalid API key").response
            }
            var response = Self.message(access == .admin ? "signed in" : "signed in with the viewer key: traces only")
            response.headers["Set-Cookie"] = session.issue(with: key, now: now, headers: headers)
            return response
        case 2 where segments[1] == "end":
            var response = Self.message("signed out")
            response.headers["Set-Cookie"] = ConsoleSession.clear(headers: headers)
            return response
        default:
            return FunctionError.notFound("no console endpoint /_console/\(segments.joined(separator: "/"))").response
        }
    }

    /// The buttons: `switch/{target}/{version}`, `rollback`, `run/{job}`, `experiments/{id}/…` (create, start,
    /// stop: ``experimentAction(_:)``), `shadow/…` (start, stop: ``shadowAction(_:)``). They go through the same
    /// functions and scheduler as the admin API, after the console's own checks.
    private func action(_ segments: [String], headers: [String: String], now: Date) async -> FunctionResponse {
        guard ConsoleSession.isConsoleRequest(headers) else { return Self.forbiddenCrossSite.response }
        // Without a key the admin API is off; the console does not open a second door to it.
        if !session.required, let disabled = api.invoker.adminCheck(headers: [:]) { return disabled.response }
        switch session.access(headers, now: now) {
        case .admin?: break
        case .viewer?:
            return FunctionError.permissionDenied(
                "the viewer key is read-only: sign in with the admin key (\(manifest.adminKeySecret)) to act"
            ).response
        case nil:
            guard !session.required else {
                return FunctionError.unauthenticated("sign in to the console first").response
            }
        }
        switch (segments.dropFirst().first, segments.count) {
        case ("switch"?, 4):
            struct Body: Encodable {
                var version: String
                var target: String
            }
            let body = (try? JSONCoding.encoder.encode(Body(version: segments[3], target: segments[2]))) ?? Data()
            return Self.summarize(await api.call("switchModel", body: body))
        case ("experiments"?, 4...8):
            return await experimentAction(Array(segments.dropFirst(2)))
        case ("shadow"?, 3...6):
            return await shadowAction(Array(segments.dropFirst(2)))
        case ("rollback"?, 2):
            return Self.summarize(await api.call("rollbackModel", body: Data("{}".utf8)))
        case ("run"?, 3):
            guard let scheduled else { return FunctionError.notFound("no scheduler runs in this process").response }
            do {
                let run = try await scheduled.runner.trigger(job: segments[2])
                return Self.message(
                    "\(segments[2]) \(run.status.rawValue) in \(ConsoleFormat.duration(seconds: run.durationSeconds))"
                        + (run.message.map { ": \($0)" } ?? ""))
            } catch let error as SchedulerError {
                return FunctionError(error).response
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
    static func message(_ text: String) -> FunctionResponse {
        (try? FunctionResponse.json(["message": text])) ?? FunctionResponse(status: 200)
    }

    /// A deployment change as one sentence, or the function's error unchanged.
    private static func summarize(_ response: FunctionResponse) -> FunctionResponse {
        guard (200..<300).contains(response.status),
            let answer = try? JSONCoding.decoder.decode(DeploymentChange.self, from: response.body)
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
