import Experiments
import Foundation
import FunctionRuntime
import Functions

/// The Shadow page: the active experiment's shadow deployment (`GET /admin/shadow`: version, target, sample,
/// started, ended or running, its audit trail), how its lists compared with the served ones over a window
/// (`GET /admin/shadow/summary`, ``ShadowSummaryTable``), a form to start one and a button to end it.
struct ShadowPage {
    /// Windows offered as links; the summary function's default is 24 h.
    static let windows = [1, 6, 24, 72, 168, 720]
    static let defaultHours = 24

    var hours: Int
    var state: Result<ShadowState, FunctionError>
    var summary: Result<ShadowSummary, FunctionError>
    /// Versions a shadow can run (`GET /admin/models`), newest first, with the variants each serves.
    var models: [ModelListing.Entry]
    /// The active experiment's variants: what a shadow can target besides `all`.
    var variants: [String]
    var actionsEnabled: Bool

    static func load(api: ConsoleAPI, hours: Int, actionsEnabled: Bool) async -> ShadowPage {
        async let state = api.read(ShadowState.self, "getShadow")
        async let summary = api.read(ShadowSummary.self, "shadowSummary", query: ["windowHours": String(hours)])
        async let listing = api.read(ModelListing.self, "listModels")
        let loaded = await state
        var variants: [String] = []
        if case .success(let current) = loaded {
            let detail = await api.read(
                ExperimentDetail.self, "getExperiment", pathParameters: ["experimentId": current.experimentId])
            variants = (try? detail.get().experiment.variantNames) ?? []
        }
        return ShadowPage(
            hours: hours, state: loaded, summary: await summary, models: (try? await listing.get().models) ?? [],
            variants: variants, actionsEnabled: actionsEnabled)
    }

    func render() -> String {
        let links = Self.windows.map { window in
            let current = window == hours ? #" aria-current="page""# : ""
            return #"<li><a href="/_console/shadow/\#(window)"\#(current)>\#(Self.windowLabel(window))</a></li>"#
        }.joined()
        var html = """
            <nav class="windows" aria-label="Summary window"><span>Window</span><ul>\(links)</ul></nav>
            """
        if !actionsEnabled {
            html +=
                #"<p class="notice">Starting and ending a shadow need the admin key: start the emulator with it set.</p>"#
        }
        let state: ShadowState
        switch self.state {
        case .success(let value): state = value
        case .failure(let error): return html + #"<p class="error" role="alert">\#(HTML.escape(error.message))</p>"#
        }
        html += deployment(state)
        html += startForm()
        switch summary {
        case .success(let summary) where summary.shadow == nil: break
        case .success(let summary):
            html += """
                <h2 id="summary-title">Agreement over \(Self.windowLabel(summary.windowHours))\
                \(summary.shadow?.endedAt == nil ? "" : " up to its end")</h2>
                """
            html += ShadowSummaryTable(summary: summary).render()
        case .failure(let error):
            html += #"<p class="error" role="alert" id="summary-error">\#(HTML.escape(error.message))</p>"#
        }
        return html + audit(state.audit)
    }

    /// The current (or last) shadow's facts and the End button.
    private func deployment(_ state: ShadowState) -> String {
        let experiment = "<code>\(HTML.escape(state.experimentId))</code>"
        guard let shadow = state.shadow else {
            return #"<p class="notice" id="no-shadow">No shadow has run for experiment \#(experiment) yet.</p>"#
        }
        let version = HTML.escape(shadow.version.description)
        let ended =
            shadow.endedAt.map { #"<span class="status-stopped">ended</span> \#(ConsoleFormat.time($0))"# }
            ?? #"<span class="status-running">running</span>"#
        let disabled = actionsEnabled && shadow.isActive ? "" : " disabled"
        return """
            <section class="panel" aria-labelledby="shadow-title">
            <h2 id="shadow-title">Shadow of experiment \(experiment)</h2>
            <dl class="facts" id="shadow">
            <dt>Version</dt><dd id="shadow-version"><code>\(version)</code></dd>
            <dt>Target</dt><dd id="shadow-target">\(Self.target(shadow.target))</dd>
            <dt>Sample</dt><dd id="shadow-sample">\(Self.percent(shadow.samplePercent)) of the target's requests</dd>
            <dt>Started</dt><dd id="shadow-started">\(ConsoleFormat.time(shadow.startedAt))</dd>
            <dt>State</dt><dd id="shadow-state">\(ended)</dd>
            <dt>Generation</dt><dd>\(shadow.generation)</dd>
            </dl>
            <button type="button" class="danger" id="stop-shadow" data-action-url="/_console/actions/shadow/stop" \
            data-confirm="End the shadow of \(version)? Its summary stays readable." data-done="Ended."\(disabled)>\
            End shadow</button>
            </section>
            """
    }

    /// Version, target and sample; starting while a shadow runs replaces it.
    private func startForm() -> String {
        // Preselect a version that serves nothing: without a deployment the newest serves every variant.
        let deployed = models.contains { !$0.serving.isEmpty }
        let preferred = (deployed ? models.first { $0.serving.isEmpty } : models.dropFirst().first) ?? models.first
        let versions = models.map { model in
            let version = HTML.escape(model.metadata.version.description)
            let serves = model.serving.isEmpty ? "" : " (serves \(HTML.escape(model.serving.joined(separator: ", "))))"
            let selected = model.metadata.version == preferred?.metadata.version ? " selected" : ""
            return #"<option value="\#(version)"\#(selected)>\#(version)\#(serves)</option>"#
        }.joined()
        let targets = (["all"] + variants).map { #"<option value="\#(HTML.escape($0))">\#(Self.target($0))</option>"# }
            .joined()
        let disabled = actionsEnabled && !models.isEmpty ? "" : " disabled"
        return """
            <section class="panel" aria-labelledby="start-shadow-title">
            <h2 id="start-shadow-title">Start a shadow</h2>
            <p>The version scores a sample of live requests beside the served model, off the response path; riders \
            never see its lists. Starting one while another runs replaces it.</p>
            <form id="start-shadow" class="inline">
            <label for="shadow-version-choice">Version</label>
            <select id="shadow-version-choice" name="version" required>\(versions)</select>
            <label for="shadow-target-choice">Requests of</label>
            <select id="shadow-target-choice" name="target">\(targets)</select>
            <label for="shadow-percent">Sample (%)</label>
            <input id="shadow-percent" name="percent" type="number" min="0" max="100" step="any" value="10" required>
            <button type="submit"\(disabled)>Start shadow</button>
            </form>
            </section>
            """
    }

    /// Every start, replacement and end, oldest first.
    private func audit(_ changes: [ShadowAudit]) -> String {
        guard !changes.isEmpty else { return "" }
        var html = """
            <details><summary>Changes to the shadow</summary>
            <table id="shadow-audit"><caption>Audit trail, oldest first</caption>
            <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Version</th>\
            <th scope="col">Target</th><th scope="col" class="num">Sample</th><th scope="col" class="num">Generation</th>\
            <th scope="col">By</th><th scope="col">Request</th></tr></thead>
            <tbody>
            """
        for change in changes {
            let request = change.requestId.map { "<code>\(HTML.escape($0))</code>" } ?? "—"
            html += """
                <tr data-action="\(HTML.escape(change.action))"><th scope="row">\(ConsoleFormat.time(change.at))</th>\
                <td>\(HTML.escape(change.action))</td><td><code>\(HTML.escape(change.shadow.version.description))</code></td>\
                <td>\(Self.target(change.shadow.target))</td><td class="num">\(Self.percent(change.shadow.samplePercent))</td>\
                <td class="num">\(change.shadow.generation)</td><td>\(HTML.escape(change.actor))</td><td>\(request)</td></tr>
                """
        }
        return html + "</tbody></table></details>"
    }

    static func target(_ target: String) -> String {
        target == "all" ? "every variant" : HTML.escape(target)
    }

    /// `10%`, `12.5%`: a sample share as typed, without trailing zeros.
    static func percent(_ value: Double) -> String {
        String(format: "%g%%", value)
    }

    static func windowLabel(_ hours: Int) -> String {
        hours % 24 == 0 && hours >= 24 ? "\(hours / 24) d" : "\(hours) h"
    }
}
