import Foundation
import FunctionRuntime
import Functions

/// The Models page: `GET /admin/models` as a table — versions with lineage, offline metrics and the last replay on
/// logged traffic side by side, which variant each serves — with switch and rollback buttons that go through the
/// admin functions.
struct ModelsPage {
    var listing: Result<ModelListing, FunctionError>
    /// Variant names a switch can target (besides `all`).
    var variants: [String]
    var actionsEnabled: Bool

    static func load(api: ConsoleAPI, actionsEnabled: Bool) async -> ModelsPage {
        let listing = await api.read(ModelListing.self, "listModels")
        let health = try? await api.read(HealthReport.self, "healthz").get()
        var variants = Set(health?.models.keys.map { $0 } ?? [])
        if case .success(let value) = listing, let deployment = value.deployment {
            variants.formUnion(deployment.versions.keys)
        }
        return ModelsPage(listing: listing, variants: variants.sorted(), actionsEnabled: actionsEnabled)
    }

    func render() -> String {
        let listing: ModelListing
        switch self.listing {
        case .success(let value): listing = value
        case .failure(let error): return #"<p class="error" role="alert">\#(HTML.escape(error.message))</p>"#
        }
        let disabled = actionsEnabled ? "" : " disabled"
        var html = ""
        if !actionsEnabled {
            html += #"<p class="notice">Switch and rollback need the admin key: start the emulator with it set.</p>"#
        }
        if let deployment = listing.deployment {
            let serving = deployment.versions.sorted { $0.key < $1.key }
                .map { "<dt>\(HTML.escape($0.key))</dt><dd><code>\(HTML.escape($0.value.description))</code></dd>" }
                .joined()
            let previous = (deployment.previous ?? [:]).sorted { $0.key < $1.key }
                .map { "\(HTML.escape($0.key)) \(HTML.escape($0.value.description))" }.joined(separator: ", ")
            html += """
                <section class="panel" aria-labelledby="deployment-title">
                <h2 id="deployment-title">Deployment of \(HTML.escape(deployment.experimentId)), generation \
                \(deployment.generation)</h2>
                <dl class="facts" id="deployment">\(serving)\
                <dt>Updated</dt><dd>\(ConsoleFormat.time(deployment.updatedAt)) by \(HTML.escape(deployment.updatedBy))</dd>\
                <dt>Previous</dt><dd>\(previous.isEmpty ? "—" : previous)</dd></dl>
                <button type="button" class="danger" id="rollback" data-action-url="/_console/actions/rollback" \
                data-confirm="Roll back to the previous deployment (\(previous.isEmpty ? "none" : previous))?" \
                data-done="Rolled back."\(!actionsEnabled || deployment.previous == nil ? " disabled" : "")>Roll back</button>
                </section>
                """
        } else {
            html += #"<p class="notice">No deployment yet: the newest model serves every variant.</p>"#
        }
        let targets = (["all"] + variants).map {
            #"<option value="\#(HTML.escape($0))">\#($0 == "all" ? "every variant" : HTML.escape($0))</option>"#
        }.joined()
        html += """
            <table id="models">
            <caption>Model versions, newest first</caption>
            <thead><tr><th scope="col">Version</th><th scope="col">Serves</th><th scope="col">Algorithm</th>\
            <th scope="col">Created</th><th scope="col" class="num">NDCG@k</th><th scope="col" class="num">Hit rate</th>\
            <th scope="col" class="num">MRR</th><th scope="col" class="num">Coverage</th>\
            <th scope="col" class="num">Users evaluated</th><th scope="col">Last replay (conversions per request)</th>\
            <th scope="col">Data snapshot</th>\
            <th scope="col" class="num">Events</th><th scope="col">Pipeline</th><th scope="col">Artifact</th>\
            <th scope="col">Switch</th></tr></thead>
            <tbody>
            """
        for (index, model) in listing.models.enumerated() {
            let metadata = model.metadata
            let version = HTML.escape(metadata.version.description)
            let serves = model.serving.map { #"<span class="badge">\#(HTML.escape($0))</span>"# }.joined()
            let metrics = metadata.offlineMetrics
            html += """
                <tr data-version="\(version)"><th scope="row"><code>\(version)</code></th><td>\(serves.isEmpty ? "—" : serves)</td>\
                <td>\(HTML.escape(metadata.algorithm))</td><td>\(ConsoleFormat.time(metadata.createdAt))</td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.ndcg, digits: 4)) <small>@\(metrics.k)</small></td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.hitRate, digits: 4))</td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.mrr, digits: 4))</td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.coverage, digits: 4))</td>\
                <td class="num">\(metrics.evaluatedUsers)</td>\
                <td class="replay">\(ReplayReportView(version: metadata.version.description, report: model.replay).render())</td>\
                <td><code title="\(HTML.escape(metadata.lineage.dataSnapshotId))">\(HTML.escape(ConsoleFormat.short(metadata.lineage.dataSnapshotId, 18)))</code></td>\
                <td class="num">\(metadata.lineage.eventCount)</td>\
                <td><code title="\(HTML.escape(metadata.lineage.pipelineGitSha))">\(HTML.escape(ConsoleFormat.short(metadata.lineage.pipelineGitSha, 10)))</code></td>\
                <td><code title="sha256 \(HTML.escape(metadata.lineage.artifactSha256))">\(HTML.escape(ConsoleFormat.short(metadata.lineage.artifactSha256, 10)))</code> \
                <small>\(metadata.lineage.artifactBytes) B, \(ConsoleFormat.duration(seconds: metadata.trainingSeconds))</small></td>\
                <td><form class="switch-model inline" data-version="\(version)">\
                <label for="target-\(index)">Serve \(version) in</label>\
                <select id="target-\(index)" name="target">\(targets)</select>\
                <button type="submit"\(disabled)>Switch</button></form></td></tr>

                """
        }
        if listing.models.isEmpty {
            html += #"<tr><td colspan="15">No model registered yet: run <code>rideease train</code>.</td></tr>"#
        }
        return html + "</tbody></table>"
    }
}
