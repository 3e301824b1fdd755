import Emulator
import Foundation
import FunctionRuntime
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import Console
@testable import Functions

/// The Shadow section with real traffic: a shadow started through the console's button scores live requests, the
/// page shows the very figures `GET /admin/shadow/summary` answers, and the buttons pass the functions' refusals on.
@Suite("console shadow")
struct ConsoleShadowTests {
    static let fields = [
        "scored", "errors", "dropped", "errorRate", "meanJaccard", "meanRbo", "topItemChangedShare", "riders",
        "ridersTopItemChangedShare", "latencyP50Ms", "latencyP99Ms",
    ]

    /// How the page must write each figure of `group` (a group the summary leaves out had no request).
    static func expected(_ group: ShadowSummary.Group?) -> [String: String] {
        func milliseconds(_ value: Double?) -> String {
            value.map { "\(ConsoleFormat.number($0, digits: 3)) ms" } ?? "—"
        }
        return [
            "scored": String(group?.scored ?? 0), "errors": String(group?.errors ?? 0),
            "dropped": String(group?.dropped ?? 0), "errorRate": ConsoleFormat.percent(group?.errorRate),
            "meanJaccard": ConsoleFormat.number(group?.meanJaccard, digits: 4),
            "meanRbo": ConsoleFormat.number(group?.meanRbo, digits: 4),
            "topItemChangedShare": ConsoleFormat.percent(group?.topItemChangedShare),
            "riders": String(group?.riders ?? 0),
            "ridersTopItemChangedShare": ConsoleFormat.percent(group?.ridersTopItemChangedShare),
            "latencyP50Ms": milliseconds(group?.latencyP50Ms), "latencyP99Ms": milliseconds(group?.latencyP99Ms),
        ]
    }

    /// The cells of the summary table's row for `group`, by `data-field`.
    static func cells(_ html: String, group: String) throws -> [String: String] {
        let row = try #require(
            html.components(separatedBy: #"<tr data-group="\#(group)""#).dropFirst().first, "row \(group)"
        ).components(separatedBy: "</tr>")[0]
        var cells: [String: String] = [:]
        for part in row.components(separatedBy: #"data-field=""#).dropFirst() {
            let name = String(part.prefix { $0 != "\"" })
            cells[name] = String(part.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
        }
        return cells
    }

    /// Waits until every sampled request has been scored on the shadow's background thread.
    static func settle(_ fixture: ConsoleFixture) async throws {
        let recommend = try #require(fixture.runtime.bundle.handlers["recommend"] as? Recommend)
        for _ in 0..<12_000 where recommend.serving.shadow.backlog > 0 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(recommend.serving.shadow.backlog == 0)
    }

    func action(
        _ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String
    ) async throws -> (status: HTTPResponse.Status, message: String) {
        let response = try await client.execute(
            uri: "/_console/actions/shadow/" + path, method: .post, headers: fixture.actionHeaders)
        let body = try ConsoleFixture.json(response)
        let message = (body["message"] as? String) ?? ((body["error"] as? [String: Any])?["message"] as? String)
        return (response.status, message ?? "")
    }

    func page(_ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String) async throws -> String {
        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
        #expect(response.status == .ok, "\(path)")
        return ConsoleFixture.text(response)
    }

    func readSummary(_ client: some TestClientProtocol, hours: Int) async throws -> ShadowSummary {
        let response = try await client.execute(
            uri: "/admin/shadow/summary?windowHours=\(hours)", method: .get,
            headers: [.xAPIKey: ConsoleFixture.adminKey])
        #expect(response.status == .ok)
        return try JSONCoding.decoder.decode(ShadowSummary.self, from: Data(buffer: response.body))
    }

    @Test func theShadowPageShowsTheSummarysFiguresAfterRealTraffic() async throws {
        try await ConsoleFixture.with { fixture in
            // v0.2.0 (trained on two worlds) serves every variant; v0.1.0 (one world) ranks differently.
            try await ConsoleExperimentPageTests.seedDifferentModels(fixture)
            let riders = (0..<40).map { "rider-\(String(format: "%04d", $0))" } + ["someone-new"]
            try await fixture.withApp { client in
                let before = try await page(client, fixture, "/_console/shadow")
                #expect(before.contains(#"<p class="notice" id="no-shadow">"#))
                #expect(!before.contains(#"<table id="shadow-summary">"#), "nothing to summarise yet")
                #expect(before.contains(#"<option value="v0.1.0" selected>v0.1.0</option>"#), "a version not serving")

                let started = try await action(client, fixture, "start/v0.1.0/all/100")
                #expect(started.status == .ok)
                #expect(started.message.hasPrefix("Shadow of v0.1.0 started on every variant, 100% of requests"))
                for rider in riders {
                    let answer = await fixture.console.api.call(
                        "recommend", body: Data(#"{"userId":"\#(rider)","limit":6}"#.utf8))
                    try #require(answer.status == 200)
                }
                try await Self.settle(fixture)
                for task in fixture.runtime.bundle.backgroundTasks { await task.shutdown() }

                let summary = try await readSummary(client, hours: 24)
                #expect(summary.total.scored == riders.count, "100 %: every request was shadowed")
                #expect(summary.total.errors == 0 && summary.total.dropped == 0)
                #expect(summary.activity["new"]?.scored ?? 0 >= 1, "someone-new is new to the served model")
                #expect((summary.total.meanJaccard ?? 1) < 1, "the two versions rank differently")
                let html = try await page(client, fixture, "/_console/shadow")
                #expect(html.contains(#"<a href="/_console/shadow/24" aria-current="page">1 d</a>"#))
                #expect(html.contains(#"<dd id="shadow-version"><code>v0.1.0</code></dd>"#))
                #expect(html.contains(#"<dd id="shadow-target">every variant</dd>"#))
                #expect(html.contains(#"<dd id="shadow-sample">100% of the target's requests</dd>"#))
                #expect(html.contains(#"<dd id="shadow-state"><span class="status-running">running</span></dd>"#))
                var groups: [(String, ShadowSummary.Group?)] = [("total", summary.total)]
                #expect(Set(summary.variants.keys) == ["control", "treatment"])
                for (variant, figures) in summary.variants {
                    groups.append(("variant:\(variant)", figures.total))
                    for activity in ["new", "light", "heavy"] {
                        groups.append(("variant:\(variant):\(activity)", figures.activity[activity]))
                    }
                }
                for activity in ["new", "light", "heavy"] {
                    groups.append(("activity:\(activity)", summary.activity[activity]))
                }
                for (group, figures) in groups {
                    let shown = try Self.cells(html, group: group)
                    #expect(shown.keys.sorted() == Self.fields.sorted(), "\(group)")
                    #expect(shown == Self.expected(figures), "\(group)")
                }
                let audit = try #require(html.components(separatedBy: #"<table id="shadow-audit">"#).last)
                #expect(audit.contains(#"<tr data-action="start">"#))

                let hour = try await readSummary(client, hours: 6)
                let sixHours = try await page(client, fixture, "/_console/shadow/6")
                #expect(sixHours.contains(#"<a href="/_console/shadow/6" aria-current="page">6 h</a>"#))
                #expect(try Self.cells(sixHours, group: "total") == Self.expected(hour.total))

                let ended = try await action(client, fixture, "stop")
                #expect(ended.status == .ok)
                #expect(ended.message.hasPrefix("Shadow of v0.1.0 ended"))
                let after = try await page(client, fixture, "/_console/shadow")
                #expect(after.contains(#"<dd id="shadow-state"><span class="status-stopped">ended</span>"#))
                #expect(after.contains(#"data-done="Ended." disabled>"#), "nothing left to end")
                #expect(after.contains(#"<tr data-action="end">"#))
                let final = try await readSummary(client, hours: 24)
                #expect(final.total == summary.total, "an ended shadow's summary stays as it was")
                #expect(try Self.cells(after, group: "total") == Self.expected(final.total))
            }
        }
    }

    @Test func startAndStopWithBadInputShowTheFunctionsOwnRefusals() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            try await fixture.withApp { client in
                let stop = try await action(client, fixture, "stop")
                let direct = await fixture.console.api.call("stopShadow")
                #expect(stop.status == .conflict && direct.status == 409)
                #expect(stop.message == ConsoleAPI.error(in: direct).message)
                #expect(stop.message == #"no shadow runs for experiment "rec-engine""#)

                let refused: [(path: String, body: String, status: HTTPResponse.Status)] = [
                    ("start/v9.9.9/all/10", #"{"version":"v9.9.9","target":"all","samplePercent":10}"#, .notFound),
                    ("start/latest/all/10", #"{"version":"latest","target":"all","samplePercent":10}"#, .badRequest),
                    (
                        "start/v0.1.0/nobody/10", #"{"version":"v0.1.0","target":"nobody","samplePercent":10}"#,
                        .badRequest
                    ),
                    ("start/v0.1.0/all/150", #"{"version":"v0.1.0","target":"all","samplePercent":150}"#, .badRequest),
                    ("start/v0.1.0/all/-1", #"{"version":"v0.1.0","target":"all","samplePercent":-1}"#, .badRequest),
                ]
                for (path, body, status) in refused {
                    let shown = try await action(client, fixture, path)
                    let direct = await fixture.console.api.call("startShadow", body: Data(body.utf8))
                    #expect(shown.status == status, "\(path)")
                    #expect(Int(direct.status) == Int(status.code), "\(path)")
                    #expect(shown.message == ConsoleAPI.error(in: direct).message, "\(path)")
                    #expect(!shown.message.isEmpty)
                }
                let notANumber = try await action(client, fixture, "start/v0.1.0/all/lots")
                #expect(notANumber.status == .badRequest)
                #expect(notANumber.message == #"samplePercent must be a number from 0 to 100, not "lots""#)
                let unknown = try await action(client, fixture, "pause")
                #expect(unknown.status == .notFound)
                let html = try await page(client, fixture, "/_console/shadow")
                #expect(html.contains(#"id="no-shadow""#), "no refused start wrote a shadow")

                for (path, status) in [
                    ("/_console/shadow/0", 400), ("/_console/shadow/721", 400), ("/_console/shadow/6/x", 404),
                ] {
                    let response = try await client.execute(
                        uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
                    #expect(Int(response.status.code) == status, "\(path)")
                    #expect(ConsoleFixture.text(response).contains(#"<p class="error" role="alert">"#))
                }
            }
        }
    }
}
