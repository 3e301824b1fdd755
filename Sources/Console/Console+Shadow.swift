import Foundation
import FunctionRuntime
import Functions

/// The Shadow section: the active experiment's shadow and its summary at `/_console/shadow` (24 h) or
/// `/_console/shadow/{hours}`, and its two buttons, `/_console/actions/shadow/start/{version}/{target}/{percent}`
/// and `/_console/actions/shadow/stop`, which go through the admin functions like the experiment buttons.
extension Console {
    /// A page of the section; `rest` are the segments after `shadow`.
    func shadowPage(_ rest: [String], signedIn: Bool, actionsEnabled: Bool) async -> FunctionResponse {
        var hours = ShadowPage.defaultHours
        if let text = rest.first {
            guard let value = Int(text), (1...720).contains(value) else {
                return ConsolePage.problem(
                    .invalidArgument("the window must be a whole number of hours from 1 to 720"),
                    section: .shadow, signedIn: signedIn
                ).response
            }
            hours = value
        }
        let page = await ShadowPage.load(api: api, hours: hours, actionsEnabled: actionsEnabled)
        return ConsolePage(title: "Shadow", section: .shadow, content: page.render(), signedIn: signedIn).response
    }

    /// `start/{version}/{target}/{percent}` (`-` for the function's default: all variants, 100 %) and `stop`: the
    /// function's answer as one sentence, or its error unchanged (400 bad version, target or percent, 404 unknown
    /// version, 409 nothing to end or a concurrent change).
    func shadowAction(_ segments: [String]) async -> FunctionResponse {
        switch (segments.first, segments.count) {
        case ("start"?, 4):
            let given = { (text: String) in text == "-" || text.isEmpty ? nil : text }
            var percent: Double?
            if let text = given(segments[3]) {
                guard let value = Double(text) else {
                    let problem = "samplePercent must be a number from 0 to 100, not \"\(text)\""
                    return FunctionError.invalidArgument(problem).response
                }
                percent = value
            }
            let body = StartBody(version: segments[1], target: given(segments[2]), samplePercent: percent)
            let response = await api.call("startShadow", body: (try? JSONCoding.encoder.encode(body)) ?? Data())
            return Self.describeShadow(response) { shadow in
                "Shadow of \(shadow.version) started on \(shadow.target == "all" ? "every variant" : shadow.target)"
                    + ", \(ShadowPage.percent(shadow.samplePercent)) of requests (generation \(shadow.generation))."
            }
        case ("stop"?, 1):
            let response = await api.call("stopShadow")
            return Self.describeShadow(response) { shadow in
                "Shadow of \(shadow.version) ended (generation \(shadow.generation)); its summary stays readable."
            }
        default:
            return FunctionError.notFound(
                "no console action /_console/actions/shadow/\(segments.joined(separator: "/"))"
            ).response
        }
    }

    /// The body of `startShadow` the start form stands for; a field left out takes the function's default.
    private struct StartBody: Encodable {
        var version: String
        var target: String?
        var samplePercent: Double?
    }

    /// A shadow-changing answer as one sentence, or the function's error unchanged.
    private static func describeShadow(
        _ response: FunctionResponse, _ sentence: (ShadowDeployment) -> String
    ) -> FunctionResponse {
        guard (200..<300).contains(response.status) else { return response }
        guard let shadow = try? JSONCoding.decoder.decode(ShadowDeployment.self, from: response.body) else {
            return message("Done.")
        }
        return message(sentence(shadow))
    }
}
