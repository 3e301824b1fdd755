import Emulator
import Foundation
import FunctionRuntime
import Functions
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Recommender
import Testing

@testable import Console

/// The Experiments section: the list of records with its create / start / stop buttons (through the admin
/// functions, their refusals shown as messages), and each experiment's page for either design.
@Suite("console experiments")
struct ConsoleExperimentsTests {
    func page(
        _ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String
    ) async throws -> (status: HTTPResponse.Status, html: String) {
        let response = try await client.execute(uri: path, method: .get, headers: [.cookie: fixture.sessionCookie])
        return (response.status, ConsoleFixture.text(response))
    }

    func action(
        _ client: some TestClientProtocol, _ fixture: ConsoleFixture, _ path: String
    ) async throws -> (status: HTTPResponse.Status, message: String) {
        let response = try await client.execute(
            uri: "/_console/actions/experiments/" + path, method: .post, headers: fixture.actionHeaders)
        let body = try ConsoleFixture.json(response)
        let message = (body["message"] as? String) ?? ((body["error"] as? [String: Any])?["message"] as? String)
        return (response.status, message ?? "")
    }

    /// The row of experiment `id` in the list page.
    func row(_ html: String, _ id: String) throws -> String {
        try #require(html.components(separatedBy: #"<tr data-experiment="\#(id)""#).dropFirst().first)
            .components(separatedBy: "</tr>")[0]
    }

    @Test func theListShowsEveryRecordWithTheActiveOneMarkedAndTheButtonsItCanTake() async throws {
        try await ConsoleFixture.with { fixture in
            let created = await fixture.console.api.call(
                "createExperiment", body: Data(#"{"id":"draft-<1>","design":"interleaving"}"#.utf8))
            #expect(created.status == 400, "the id is refused before anything renders it")
            let draft = await fixture.console.api.call(
                "createExperiment",
                body: Data(#"{"id":"draft-1","design":"interleaving","coverage":0.25}"#.utf8))
            #expect(draft.status == 201)
            try await fixture.withApp { client in
                let (status, html) = try await page(client, fixture, "/_console/experiments")
                #expect(status == .ok)
                let ids = html.components(separatedBy: #"<tr data-experiment=""#).dropFirst()
                    .map { String($0.prefix { $0 != "\"" }) }
                #expect(Set(ids) == ["rec-engine", "draft-1"])
                let running = try row(html, "rec-engine")
                #expect(running.contains(#"<span class="badge" id="active-experiment">active</span>"#))
                #expect(running.contains(#"<form class="stop-experiment inline" data-experiment="rec-engine">"#))
                #expect(running.contains(#"<option value="treatment">treatment</option>"#), "serve choice")
                #expect(!running.contains("start-experiment"))
                let drafted = try row(html, "draft-1")
                #expect(drafted.contains(#"<td>interleaving</td>"#))
                #expect(drafted.contains(#"<td class="num">25.00%</td>"#))
                #expect(drafted.contains(#"data-action-url="/_console/actions/experiments/draft-1/start""#))
                #expect(!drafted.contains("active"))
                #expect(html.contains(#"<form id="create-experiment" class="inline">"#))
                #expect(html.contains(#"<option value="interleaving">interleaving</option>"#))
            }
        }
    }

    @Test func createStartAndStopGoThroughTheAdminFunctionsAndShowTheirRefusals() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.seedModels()
            try await fixture.withApp { client in
                let unknown = try await action(client, fixture, "x-1/create/bandit/-/-/-")
                #expect(unknown.status == .badRequest)
                #expect(unknown.message.contains(#"design "bandit" is unknown"#))
                let coverage = try await action(client, fixture, "x-1/create/ab/lots/-/-")
                #expect(coverage.status == .badRequest)
                #expect(coverage.message.contains(#"not "lots""#))
                let badVersion = try await action(client, fixture, "x-1/create/ab/1/v0.1.0/latest")
                #expect(badVersion.status == .badRequest)
                #expect(badVersion.message.contains(#"version "latest""#))

                let created = try await action(client, fixture, "inter-1/create/interleaving/0.5/v0.2.0/v0.1.0")
                #expect(created.status == .ok)
                #expect(created.message == "Experiment inter-1 created as a interleaving draft.")
                let again = try await action(client, fixture, "inter-1/create/interleaving/-/-/-")
                #expect(again.status == .conflict)
                #expect(again.message.contains("already exists"))
                let early = try await action(client, fixture, "inter-1/start")
                #expect(early.status == .conflict)
                #expect(early.message.contains("stop it before starting another"))

                let stopped = try await action(client, fixture, "rec-engine/stop/treatment")
                #expect(stopped.status == .ok)
                #expect(stopped.message.hasPrefix("Experiment rec-engine stopped, decision "))
                #expect(stopped.message.hasSuffix("everyone gets treatment."))
                let twice = try await action(client, fixture, "rec-engine/stop/control")
                #expect(twice.status == .conflict)
                #expect(twice.message.contains("already stopped"))
                let started = try await action(client, fixture, "inter-1/start")
                #expect(started.status == .ok)
                #expect(started.message == "Experiment inter-1 is running: control v0.2.0, treatment v0.1.0.")
                let missing = try await action(client, fixture, "nobody/start")
                #expect(missing.status == .notFound)
                let verb = try await action(client, fixture, "inter-1/pause")
                #expect(verb.status == .notFound)

                let (_, html) = try await page(client, fixture, "/_console/experiments")
                #expect(try row(html, "inter-1").contains(#"id="active-experiment""#))
                #expect(html.contains(#"<tr data-experiment="inter-1" data-status="running">"#))
                #expect(html.contains(#"<tr data-experiment="rec-engine" data-status="stopped">"#))
                let old = try row(html, "rec-engine")
                #expect(!old.contains("stop-experiment") && !old.contains("start-experiment"), "stopped: no button")
                #expect(old.contains("; serving treatment</td>"))
                let record = try #require(
                    try await ExperimentRecordStore(store: fixture.runtime.storage).record("rec-engine")?.0)
                let decision = try #require(record.finalSummary?.decision.rawValue)
                #expect(old.contains(#"<strong class="decision-\#(decision)">\#(decision)</strong>"#))
            }
        }
    }

    @Test func anOldWindowLinkLeadsToTheActiveExperimentAndBadPathsAreErrorPages() async throws {
        try await ConsoleFixture.with { fixture in
            try await fixture.withApp { client in
                let old = try await client.execute(
                    uri: "/_console/experiments/6", method: .get, headers: [.cookie: fixture.sessionCookie])
                #expect(old.status == .seeOther)
                #expect(old.headers[.location] == "/_console/experiments/rec-engine/6")
                for (path, status) in [
                    ("/_console/experiments/rec-engine/0", HTTPResponse.Status.badRequest),
                    ("/_console/experiments/rec-engine/721", .badRequest),
                    ("/_console/experiments/rec-engine/abc", .badRequest),
                    ("/_console/experiments/nobody", .notFound),
                    ("/_console/experiments/a/1/2", .notFound),
                ] {
                    let (code, html) = try await page(client, fixture, path)
                    #expect(code == status, "\(path)")
                    #expect(html.contains(#"<p class="error" role="alert">"#), "\(path)")
                }
            }
        }
    }
}
