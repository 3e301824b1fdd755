import Emulator
import Foundation
import FunctionRuntime
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import Console

/// Each page's data, read through the real application in process, as a browser with a session would.
@Suite("console pages: what each page shows")
struct ConsolePagesTests {
    func page(
        _ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String
    ) async throws -> (
        status: HTTPResponse.Status, html: String
    ) {
        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
        return (response.status, ConsoleFixture.text(response))
    }

    @Test func theRootLeadsToFunctionsAndEveryPageIsAStrictHTMLPage() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let root = try await client.execute(uri: "/_console", method: .get)
                #expect(root.status == .seeOther)
                #expect(root.headers[.location] == "/_console/functions")
                for section in ConsolePage.Section.allCases {
                    let response = try await client.execute(
                        uri: "/_console/\(section.rawValue)", method: .get, headers: [.cookie: fixture.sessionCookie])
                    #expect(response.status == .ok, "\(section)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                    #expect(response.headers[.cacheControl] == "no-store")
                    let html = ConsoleFixture.text(response)
                    #expect(html.contains(#"href="/_console/\#(section.rawValue)" aria-current="page""#))
                    #expect(html.contains(#"<button type="button" id="sign-out""#))
                    #expect(!html.contains("<script>"), "no inline script: the CSP forbids it")
                }
            }
        }
    }

    @Test func functionsListRoutesSchedulesNextFiresAndLastRuns() async throws {
        try await ConsoleFixture.with { fixture in
            let requestId = RequestID.generate()
            fixture.logs.append(
                .init(
                    time: Date(), severity: "INFO", message: "function invoked",
                    fields: [
                        "function": "recommendations", "requestId": requestId, "status": "200",
                        "durationMs": "4.2", "trigger": "http",
                    ]))
            for trigger in ["http", "manual"] {
                fixture.logs.append(
                    .init(
                        time: Date(), severity: "INFO", message: "function invoked",
                        fields: [
                            "function": "healthz", "requestId": RequestID.generate(), "status": "200",
                            "durationMs": "2", "trigger": trigger,
                        ]))
            }
            _ = try await fixture.runtime.scheduled.runner.trigger(job: "healthz")
            try await fixture.withApp { client in
                let (status, html) = try await page(client, fixture, "/_console/functions")
                #expect(status == .ok)
                for name in ["healthz", "recommendations", "traces", "admin-models", "experiment-summary", "train"] {
                    #expect(html.contains(#"<tr data-function="\#(name)">"#), "\(name)")
                }
                #expect(html.contains("<code>POST /recommendations</code>"))
                #expect(html.contains("<code>0 3 * * *</code><br>Europe/Lisbon"))
                #expect(html.contains("Liveness &lt;and&gt; readiness"), "manifest text is escaped")
                let healthz = try #require(html.components(separatedBy: #"<tr data-function="healthz">"#).last)
                    .components(separatedBy: "</tr>")[0]
                #expect(healthz.components(separatedBy: "Z</li>").count - 1 >= 3, "three next fire times")
                #expect(healthz.contains(#"<span class="status-succeeded">succeeded</span>"#), "the manual run")
                #expect(healthz.contains(#"data-action-url="/_console/actions/run/healthz""#))
                #expect(healthz.contains("(http, 2 ms)"), "HTTP calls of a scheduled function show too")
                #expect(!healthz.contains("(manual, 2 ms)"), "manual runs are the scheduler's records, not repeated")
                let recommendations = try #require(
                    html.components(separatedBy: #"<tr data-function="recommendations">"#).last
                ).components(separatedBy: "</tr>")[0]
                #expect(recommendations.contains(#"<span class="status-ok">200</span>"#))
                #expect(recommendations.contains("(http, 4 ms)"))
                #expect(!recommendations.contains("Run now"), "only scheduled functions can be run now")
            }
        }
    }

    @Test func modelsShowWhatTheAdminAPIListsWithLineageMetricsAndServing() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            try await fixture.withApp { client in
                let api = try await client.execute(
                    uri: "/admin/models", method: .get, headers: [.xAPIKey: ConsoleFixture.adminKey])
                let models = try #require(try ConsoleFixture.json(api)["models"] as? [[String: Any]])
                let versions = models.compactMap { $0["version"] as? String }
                #expect(versions == ["v0.2.0", "v0.1.0"])
                let (status, html) = try await page(client, fixture, "/_console/models")
                #expect(status == .ok)
                let rows = html.components(separatedBy: #"<tr data-version=""#).dropFirst()
                    .map { String($0.prefix { $0 != "\"" }) }
                #expect(rows == versions, "the table lists the versions the API lists, in its order")
                #expect(html.contains("<code title=\"feedc0ffee\">feedc0ffee</code>"), "pipeline lineage")
                #expect(html.contains(#"<label for="target-0">Serve v0.2.0 in</label>"#))
                #expect(html.contains(#"<option value="control">control</option>"#))
                #expect(!html.contains(" disabled>Switch"), "a key is configured: switching is allowed")
            }
        }
    }

    @Test func experimentsShowTheSummaryDecisionSRMAndTheTimelineCharts() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let api = try await client.execute(uri: "/experiments/rec-engine/timeline?windowHours=6", method: .get)
                #expect(api.status == .ok)
                let timeline = try ConsoleFixture.json(api)
                let variants = try #require(timeline["variants"] as? [String])
                let points = try #require(timeline["points"] as? [[String: Any]])
                #expect(variants == ["control", "treatment"])
                let (status, html) = try await page(client, fixture, "/_console/experiments/rec-engine/6")
                #expect(status == .ok)
                #expect(html.contains(#"<a href="/_console/experiments/rec-engine/6" aria-current="page">6 h</a>"#))
                #expect(html.contains(#"<a href="/_console/experiments/rec-engine">since start</a>"#))
                #expect(html.contains("<h2 id=\"record-title\">Experiment <code>rec-engine</code></h2>"))
                #expect(html.contains("Analysis over 6 h"))
                #expect(html.contains(#"<strong id="decision" class="decision-keep-running">keep-running</strong>"#))
                #expect(html.contains(#"<dd id="srm">not checked: "#), "no users yet: SRM cannot be checked")
                #expect(html.contains(#"<th scope="row">control</th>"#))
                #expect(html.contains(#"<th scope="row">treatment</th>"#))
                for chart in ["users", "conversions", "rates"] {
                    let svg = try #require(html.components(separatedBy: #"data-chart="\#(chart)""#).dropFirst().first)
                        .components(separatedBy: "</svg>")[0]
                    let series = svg.components(separatedBy: #"<g class="series" data-series=""#).dropFirst()
                        .map { String($0.prefix { $0 != "\"" }) }
                    #expect(series == variants, "\(chart): one series per variant")
                }
                #expect(html.contains(#"data-chart="p-values""#))
                let table = try #require(html.components(separatedBy: #"<table id="timeline">"#).last)
                #expect(table.components(separatedBy: "<tr><th scope=\"row\">").count - 1 == points.count)
            }
        }
    }

    @Test func aTraceIsLookedUpByRequestIdAndRecentRequestsLinkToIt() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            let answer = await fixture.console.api.call(
                "recommend", body: Data(#"{"userId":"rider-0001","limit":3}"#.utf8))
            #expect(answer.status == 200)
            let requestId = try #require(answer.headers["X-Request-Id"])
            fixture.logs.append(
                .init(
                    time: Date(), severity: "INFO", message: "function invoked",
                    fields: [
                        "function": "recommendations", "requestId": requestId, "status": "200", "durationMs": "3",
                        "trigger": "http",
                    ]))
            try await fixture.withApp { client in
                let (status, html) = try await page(client, fixture, "/_console/traces")
                #expect(status == .ok)
                #expect(html.contains(#"<a href="/_console/traces/\#(requestId)"><code>\#(requestId)</code></a>"#))
                let (found, trace) = try await page(client, fixture, "/_console/traces/\(requestId)")
                #expect(found == .ok)
                #expect(trace.contains(#"<section class="panel" aria-labelledby="trace-title" id="trace">"#))
                #expect(trace.contains("<dt>Model version</dt><dd><code>v0.2.0</code></dd>"))
                #expect(trace.contains("<dt>User</dt><dd><code>rider-0001</code></dd>"))
                let missing = RequestID.generate()
                let (notFound, error) = try await page(client, fixture, "/_console/traces/\(missing)")
                #expect(notFound == .notFound)
                #expect(error.contains("no trace for request \(missing)"))
                let (invalid, _) = try await page(client, fixture, "/_console/traces/not-an-id")
                #expect(invalid == .badRequest)
            }
        }
    }

    @Test func logsAreFilteredByFunctionAndRequestIdAndEscaped() async throws {
        try await ConsoleFixture.with { fixture in
            for (index, function) in ["train", "healthz", "train"].enumerated() {
                fixture.logs.append(
                    .init(
                        time: Date(), severity: index == 2 ? "ERROR" : "INFO", message: "line <\(index)>",
                        fields: ["function": function, "requestId": "req-\(index)", "note": "<img src=x>"]))
            }
            try await fixture.withApp { client in
                let (_, all) = try await page(client, fixture, "/_console/logs")
                #expect(all.components(separatedBy: "<tr data-severity=").count - 1 == 3)
                #expect(all.contains("line &lt;2&gt;"))
                #expect(all.contains("<code>note=&lt;img src=x&gt;</code>"))
                #expect(!all.contains("<img src=x>"))
                let (_, train) = try await page(client, fixture, "/_console/logs/train")
                #expect(train.components(separatedBy: "<tr data-severity=").count - 1 == 2)
                #expect(train.contains(#"<option value="train" selected>train</option>"#))
                let (_, one) = try await page(client, fixture, "/_console/logs/all/req-2")
                #expect(one.components(separatedBy: "<tr data-severity=").count - 1 == 1)
                #expect(one.contains(#"<tr data-severity="ERROR">"#))
                let (_, none) = try await page(client, fixture, "/_console/logs/healthz/req-2")
                #expect(none.contains("No matching lines."))
            }
        }
    }

    @Test(arguments: [
        ("/_console/experiments/rec-engine/0", HTTPResponse.Status.badRequest),
        ("/_console/experiments/rec-engine/721", .badRequest),
        ("/_console/experiments/abc", .notFound),
        ("/_console/nope", .notFound),
        ("/_console/models/extra", .notFound),
        ("/_console/logs/a/b/c", .notFound),
        ("/_console/%ZZ", .badRequest),
    ])
    func badPathsAnswerAnHTMLErrorPage(path: String, status: HTTPResponse.Status) async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let response = try await client.execute(
                    uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
                #expect(response.status == status)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(ConsoleFixture.text(response).contains(#"<p class="error" role="alert">"#))
            }
        }
    }

    @Test func assetsAreEmbeddedAndServedWithoutASession() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let css = try await client.execute(uri: "/_console/assets/console.css", method: .get)
                #expect(css.status == .ok)
                #expect(css.headers[.contentType] == "text/css; charset=utf-8")
                #expect(ConsoleFixture.text(css).contains(":focus-visible"))
                let js = try await client.execute(uri: "/_console/assets/console.js", method: .get)
                #expect(js.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(!ConsoleFixture.text(js).contains("http"), "no external resource")
                let missing = try await client.execute(uri: "/_console/assets/other.js", method: .get)
                #expect(missing.status == .notFound)
            }
        }
    }

    @Test func withoutAKeyTheConsoleIsOpenButCannotChangeAnything() async throws {
        try await ConsoleFixture.with(adminKey: nil) { fixture in
            try await fixture.withApp { client in
                let functions = try await client.execute(uri: "/_console/functions", method: .get)
                #expect(functions.status == .ok)
                let html = ConsoleFixture.text(functions)
                #expect(html.contains(#""Run now" needs the admin key"#))
                #expect(html.contains(" disabled aria-label=\"Run healthz now\""))
                #expect(!html.contains("id=\"sign-out\""))
                let run = try await client.execute(
                    uri: "/_console/actions/run/healthz", method: .post,
                    headers: [HTTPField.Name("X-RideEase-Console")!: "1"])
                #expect(run.status == .serviceUnavailable)
                #expect(try ConsoleFixture.error(run).message.hasPrefix("admin API disabled"))
            }
        }
    }

    @Test func theConsoleCanBeTurnedOff() async throws {
        try await ConsoleFixture.with { fixture in
            let exporter = PrometheusExporter(descriptions: [])
            let app = buildApplication(
                runtime: fixture.runtime, exporter: exporter, host: "127.0.0.1", port: 0,
                logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/_console/functions", method: .get)
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json")
            }
            #expect(Console.isEnabled(flag: nil, environment: [:]))
            #expect(!Console.isEnabled(flag: nil, environment: ["K_SERVICE": "rideease"]), "off on Cloud Run")
            #expect(Console.isEnabled(flag: true, environment: ["K_SERVICE": "rideease"]))
            #expect(!Console.isEnabled(flag: false, environment: [:]))
        }
    }
}
