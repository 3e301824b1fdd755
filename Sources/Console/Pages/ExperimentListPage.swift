import Experiments
import Foundation
import FunctionRuntime
import Functions

/// The Experiments list: every recorded experiment (`GET /admin/experiments`) with its design, status, arms and
/// versions, the active one marked, a form that creates a draft, and Start / Stop on each row that can take them.
/// The buttons go through the admin functions (``Console`` `actions/experiments/…`), like switch and rollback.
struct ExperimentListPage {
    var list: Result<ExperimentList, FunctionError>
    /// Registered versions offered for each arm; empty when the model listing cannot be read.
    var versions: [String]
    var actionsEnabled: Bool

    static func load(api: ConsoleAPI, actionsEnabled: Bool) async -> ExperimentListPage {
        async let list = api.read(ExperimentList.self, "listExperiments")
        async let models = api.read(ModelListing.self, "listModels")
        let versions = (try? await models.get())?.models.map(\.metadata.version.description) ?? []
        return ExperimentListPage(list: await list, versions: versions, actionsEnabled: actionsEnabled)
    }

    func render() -> String {
        var html = ""
        if !actionsEnabled {
            html += #"<p class="notice">Create, start and stop need the admin key: start the emulator with it set.</p>"#
        }
        switch list {
        case .success(let list): html += table(list)
        case .failure(let error): html += #"<p class="error" role="alert">\#(HTML.escape(error.message))</p>"#
        }
        return html + createForm
    }

    private func table(_ list: ExperimentList) -> String {
        var html = """
            <table id="experiments">
            <caption>Experiments, newest first</caption>
            <thead><tr><th scope="col">Experiment</th><th scope="col">Design</th><th scope="col">Status</th>\
            <th scope="col">Variants</th><th scope="col" class="num">Coverage</th><th scope="col">Started</th>\
            <th scope="col">Stopped</th><th scope="col">Final decision</th><th scope="col">Actions</th></tr></thead>
            <tbody>
            """
        for (index, record) in list.experiments.enumerated() {
            let id = HTML.escape(record.id)
            let active = record.id == list.active ? #" <span class="badge" id="active-experiment">active</span>"# : ""
            let variants = record.variants.map { variant in
                "<li>\(HTML.escape(variant.name)) \(ConsoleFormat.percent(variant.weight)): "
                    + (variant.version.map { "<code>\(HTML.escape($0))</code>" } ?? "what serves it now") + "</li>"
            }.joined()
            let decision = record.finalSummary.map { summary in
                let value = HTML.escape(summary.decision.rawValue)
                let served = record.servedAfterStop.map { "; serving \(HTML.escape($0))" } ?? ""
                return #"<strong class="decision-\#(value)">\#(value)</strong>\#(served)"#
            }
            html += """
                <tr data-experiment="\(id)" data-status="\(record.status.rawValue)">\
                <th scope="row"><a href="/_console/experiments/\(HTML.pathSegment(record.id))">\(id)</a>\(active)</th>\
                <td>\(HTML.escape(record.design.rawValue))</td>\
                <td><span class="status-\(record.status.rawValue)">\(record.status.rawValue)</span></td>\
                <td><ul class="plain">\(variants)</ul></td>\
                <td class="num">\(ConsoleFormat.percent(record.coverage))</td>\
                <td>\(record.startedAt.map(ConsoleFormat.time) ?? "—")</td>\
                <td>\(record.stoppedAt.map(ConsoleFormat.time) ?? "—")</td>\
                <td class="final-decision">\(decision ?? "—")</td>\
                <td>\(actions(record, row: index))</td></tr>

                """
        }
        if list.experiments.isEmpty {
            html += #"<tr><td colspan="9">No experiment recorded yet: create one below.</td></tr>"#
        }
        return html + "</tbody></table>"
    }

    /// Start for a draft, Stop (with the arm everyone gets afterwards) for a running one, nothing once stopped.
    private func actions(_ record: ExperimentRecord, row: Int) -> String {
        let disabled = actionsEnabled ? "" : " disabled"
        let id = HTML.escape(record.id)
        let url = "/_console/actions/experiments/\(HTML.pathSegment(record.id))"
        switch record.status {
        case .draft:
            return """
                <button type="button" class="start-experiment" data-action-url="\(url)/start" \
                data-confirm="Start experiment \(id)? Riders get its variants at once." \
                data-done="Started."\(disabled)>Start</button>
                """
        case .running:
            let options = record.variantNames.map {
                #"<option value="\#(HTML.escape($0))">\#(HTML.escape($0))</option>"#
            }.joined()
            return """
                <form class="stop-experiment inline" data-experiment="\(id)">\
                <label for="serve-\(row)">Then serve</label>\
                <select id="serve-\(row)" name="serve">\(options)</select>\
                <button type="submit" class="danger"\(disabled)>Stop</button></form>
                """
        case .stopped:
            return "—"
        }
    }

    private var createForm: String {
        let disabled = actionsEnabled ? "" : " disabled"
        let options =
            #"<option value="">what serves it now</option>"#
            + versions.map { #"<option value="\#(HTML.escape($0))">\#(HTML.escape($0))</option>"# }.joined()
        let designs = ExperimentDesign.allCases.map {
            #"<option value="\#(HTML.escape($0.rawValue))">\#(HTML.escape($0.rawValue))</option>"#
        }.joined()
        return """
            <section class="panel" aria-labelledby="create-title">
            <h2 id="create-title">New experiment</h2>
            <p>Creates a draft (control and treatment, 50/50, conversion); Start puts it in front of riders once \
            the running experiment is stopped.</p>
            <form id="create-experiment" class="inline">
            <label for="new-id">Id</label><input id="new-id" name="id" required maxlength="128" \
            pattern="[A-Za-z0-9._\\-]+" autocomplete="off">
            <label for="new-design">Design</label><select id="new-design" name="design">\(designs)</select>
            <label for="new-control">Control version</label><select id="new-control" name="control">\(options)</select>
            <label for="new-treatment">Treatment version</label>\
            <select id="new-treatment" name="treatment">\(options)</select>
            <label for="new-coverage">Coverage</label><input id="new-coverage" name="coverage" type="number" \
            min="0" max="1" step="0.01" value="1">
            <button type="submit"\(disabled)>Create</button>
            </form>
            </section>
            """
    }
}
