import Experiments
import Foundation
import FunctionRuntime
import Functions

/// The Experiments section: the list at `/_console/experiments`, one experiment at `/_console/experiments/{id}`
/// (since it started) or `…/{id}/{hours}`, and the buttons under `/_console/actions/experiments/{id}/…`.
///
/// The console's routes carry their parameters in the path (the host hands it no query string or body), so the
/// create form's fields are path segments too, `-` standing for "not given".
extension Console {
    /// A page of the section; `rest` are the segments after `experiments`.
    func experimentsPage(_ rest: [String], signedIn: Bool, actionsEnabled: Bool) async -> FunctionResponse {
        func show(_ content: String, title: String, status: Int = 200) -> FunctionResponse {
            ConsolePage(title: title, section: .experiments, content: content, status: status, signedIn: signedIn)
                .response
        }
        guard let experimentId = rest.first else {
            let page = await ExperimentListPage.load(api: api, actionsEnabled: actionsEnabled)
            return show(page.render(), title: "Experiments")
        }
        var hours: Int?
        if rest.count == 2 {
            guard let value = Int(rest[1]), AnalysisWindow.allowedHours.contains(value) else {
                return ConsolePage.problem(
                    .invalidArgument("the window must be a whole number of hours from 1 to 720"),
                    section: .experiments, signedIn: signedIn
                ).response
            }
            hours = value
        } else if let window = Int(experimentId), let redirect = await oldWindowLink(experimentId, hours: window) {
            return redirect
        }
        let page = await ExperimentPage.load(api: api, experimentId: experimentId, hours: hours)
        return show(page.render(), title: "Experiment \(experimentId)", status: page.status)
    }

    /// `/_console/experiments/{hours}` was the active experiment's page before experiments were records: when no
    /// experiment has that number for id, it leads to the active experiment over that window.
    private func oldWindowLink(_ segment: String, hours: Int) async -> FunctionResponse? {
        let found = await api.read(ExperimentDetail.self, "getExperiment", pathParameters: ["experimentId": segment])
        guard case .failure(let error) = found, error.status == 404 else { return nil }
        guard let active = try? await api.read(ExperimentList.self, "listExperiments").get().active else {
            return FunctionResponse(status: 303, headers: ["Location": "/_console/experiments"])
        }
        let location = "/_console/experiments/\(HTML.pathSegment(active))/\(hours)"
        return FunctionResponse(status: 303, headers: ["Location": location])
    }

    /// `experiments/{id}/create/{design}/{coverage}/{control}/{treatment}`, `experiments/{id}/start`,
    /// `experiments/{id}/stop[/{serve}]`: the admin functions' answers as one sentence, or their errors unchanged.
    func experimentAction(_ segments: [String]) async -> FunctionResponse {
        guard segments.count >= 2 else { return Self.noAction(segments) }
        let experimentId = segments[0]
        let experiment = ["experimentId": experimentId]
        switch (segments[1], segments.count) {
        case ("create", 6):
            let given = { (text: String) in text == "-" || text.isEmpty ? nil : text }
            var coverage: Double?
            if let text = given(segments[3]) {
                guard let value = Double(text) else {
                    return FunctionError.invalidArgument("coverage must be a number from 0 to 1, not \"\(text)\"")
                        .response
                }
                coverage = value
            }
            let body = CreateBody(
                id: experimentId, design: segments[2],
                variants: [
                    .init(name: "control", version: given(segments[4])),
                    .init(name: "treatment", version: given(segments[5])),
                ],
                coverage: coverage)
            let response = await api.call("createExperiment", body: (try? JSONCoding.encoder.encode(body)) ?? Data())
            return Self.describe(response) { "Experiment \($0.id) created as a \($0.design.rawValue) draft." }
        case ("start", 2):
            let response = await api.call("startExperiment", pathParameters: experiment, body: Data("{}".utf8))
            return Self.describe(response) { record in
                let versions = record.variants.map { "\($0.name) \($0.version ?? "?")" }
                return "Experiment \(record.id) is running: \(versions.joined(separator: ", "))."
            }
        case ("stop", 2), ("stop", 3):
            let body = segments.count == 3 ? ["serve": segments[2]] : [:]
            let response = await api.call(
                "stopExperiment", pathParameters: experiment,
                body: (try? JSONCoding.encoder.encode(body)) ?? Data("{}".utf8))
            return Self.describe(response) { record in
                "Experiment \(record.id) stopped, decision \(record.finalSummary?.decision.rawValue ?? "none"); "
                    + "everyone gets \(record.servedAfterStop ?? "the control")."
            }
        default:
            return Self.noAction(segments)
        }
    }

    /// The body of `createExperiment` the create form stands for.
    private struct CreateBody: Encodable {
        struct Variant: Encodable {
            var name: String
            var version: String?
        }
        var id: String
        var design: String
        var variants: [Variant]
        var coverage: Double?
    }

    private static func noAction(_ segments: [String]) -> FunctionResponse {
        FunctionError.notFound(
            "no console action /_console/actions/experiments/\(segments.joined(separator: "/"))"
        ).response
    }

    /// A record-changing answer as one sentence, or the function's error unchanged (a 4xx keeps its message).
    private static func describe(
        _ response: FunctionResponse, _ sentence: (ExperimentRecord) -> String
    ) -> FunctionResponse {
        guard (200..<300).contains(response.status) else { return response }
        guard let record = try? JSONCoding.decoder.decode(ExperimentRecord.self, from: response.body) else {
            return message("Done.")
        }
        return message(sentence(record))
    }
}
