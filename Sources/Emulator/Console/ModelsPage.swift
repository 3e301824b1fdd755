import Foundation
import FunctionRuntime

/// The Models page: `GET /admin/models` as a table — versions with lineage and offline metrics side by side,
/// which variant each serves — with switch and rollback buttons that go through the admin functions.
struct ModelsPage {
    /// What `GET /admin/models` answers (the fields the page shows).
    struct Listing: Decodable {
        struct Model: Decodable {
            struct Lineage: Decodable {
                var dataSnapshotId: String
                var eventCount: Int
                var interactionCount: Int
                var pipelineGitSha: String
                var containerImageDigest: String
                var artifactSha256: String
                var artifactBytes: Int
            }
            struct Metrics: Decodable {
                struct Ranking: Decodable {
                    var hitRate: Double
                    var ndcg: Double
                    var mrr: Double
                    var coverage: Double
                }
                var k: Int
                var evaluatedUsers: Int
                var overall: Ranking
            }
            var version: String
            var createdAt: Date
            var algorithm: String
            var lineage: Lineage
            var offlineMetrics: Metrics
            var trainingSeconds: Double
            var serving: [String]
        }
        struct Deployment: Decodable {
            var experimentId: String
            var generation: Int
            var versions: [String: String]
            var previous: [String: String]?
            var updatedAt: Date
            var updatedBy: String
        }
        var models: [Model]
        var deployment: Deployment?
    }

    /// What `GET /healthz` says is loaded, for the variant names.
    struct Health: Decodable {
        var experimentId: String
        var models: [String: String]
    }

    var listing: Result<Listing, FunctionError>
    /// Variant names a switch can target (besides `all`).
    var variants: [String]
    var actionsEnabled: Bool

    static func load(api: ConsoleAPI, actionsEnabled: Bool) async -> ModelsPage {
        let listing = await api.read(Listing.self, "/admin/models")
        let health = try? await api.read(Health.self, "/healthz").get()
        var variants = Set(health?.models.keys.map { $0 } ?? [])
        if case .success(let value) = listing, let deployment = value.deployment {
            variants.formUnion(deployment.versions.keys)
        }
        return ModelsPage(listing: listing, variants: variants.sorted(), actionsEnabled: actionsEnabled)
    }

    func render() -> String {
        let listing: Listing
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
                .map { "<dt>\(HTML.escape($0.key))</dt><dd><code>\(HTML.escape($0.value))</code></dd>" }.joined()
            let previous = (deployment.previous ?? [:]).sorted { $0.key < $1.key }
                .map { "\(HTML.escape($0.key)) \(HTML.escape($0.value))" }.joined(separator: ", ")
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
            <th scope="col" class="num">Users evaluated</th><th scope="col">Data snapshot</th>\
            <th scope="col" class="num">Events</th><th scope="col">Pipeline</th><th scope="col">Artifact</th>\
            <th scope="col">Switch</th></tr></thead>
            <tbody>
            """
        for (index, model) in listing.models.enumerated() {
            let version = HTML.escape(model.version)
            let serves = model.serving.map { #"<span class="badge">\#(HTML.escape($0))</span>"# }.joined()
            let metrics = model.offlineMetrics
            html += """
                <tr data-version="\(version)"><th scope="row"><code>\(version)</code></th><td>\(serves.isEmpty ? "—" : serves)</td>\
                <td>\(HTML.escape(model.algorithm))</td><td>\(ConsoleFormat.time(model.createdAt))</td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.ndcg, digits: 4)) <small>@\(metrics.k)</small></td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.hitRate, digits: 4))</td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.mrr, digits: 4))</td>\
                <td class="num">\(ConsoleFormat.number(metrics.overall.coverage, digits: 4))</td>\
                <td class="num">\(metrics.evaluatedUsers)</td>\
                <td><code title="\(HTML.escape(model.lineage.dataSnapshotId))">\(HTML.escape(ConsoleFormat.short(model.lineage.dataSnapshotId, 18)))</code></td>\
                <td class="num">\(model.lineage.eventCount)</td>\
                <td><code title="\(HTML.escape(model.lineage.pipelineGitSha))">\(HTML.escape(ConsoleFormat.short(model.lineage.pipelineGitSha, 10)))</code></td>\
                <td><code title="sha256 \(HTML.escape(model.lineage.artifactSha256))">\(HTML.escape(ConsoleFormat.short(model.lineage.artifactSha256, 10)))</code> \
                <small>\(model.lineage.artifactBytes) B, \(ConsoleFormat.duration(seconds: model.trainingSeconds))</small></td>\
                <td><form class="switch-model inline" data-version="\(version)">\
                <label for="target-\(index)">Serve \(version) in</label>\
                <select id="target-\(index)" name="target">\(targets)</select>\
                <button type="submit"\(disabled)>Switch</button></form></td></tr>

                """
        }
        if listing.models.isEmpty {
            html += #"<tr><td colspan="14">No model registered yet: run <code>rideease train</code>.</td></tr>"#
        }
        return html + "</tbody></table>"
    }
}
