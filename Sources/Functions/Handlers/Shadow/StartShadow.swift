import Foundation
import FunctionRuntime
import Recommender
import Storage

/// `POST /admin/shadow` `{"version","target":"all"|"control"|"treatment","samplePercent":0-100}`: puts a registered
/// version in shadow beside the active experiment's served models.
///
/// The version must load and pass the smoke check first (404 when it is not registered), then the shadow is
/// written by compare-and-swap (a concurrent change is a 409) and audited; every instance picks it up with the
/// deployment poll, this one at once. Starting a shadow while another runs replaces it (audited as such), like a
/// switch replaces a version: the team asked for this one now.
struct StartShadow: FunctionHandler {
    let serving: ServingContext

    struct Body: Decodable {
        var version: String
        var target: String?
        var samplePercent: Double?
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let body = try request.decodeJSON(Body.self)
        guard let version = ModelVersion(body.version) else {
            throw FunctionError.invalidArgument("version \"\(body.version)\" is not a model version like v0.2.0")
        }
        let experiment = try await serving.server.activeRecord()
        let target = body.target ?? "all"
        guard target == "all" || experiment.variantNames.contains(target) else {
            throw FunctionError.invalidArgument(
                "target must be one of: all, \(experiment.variantNames.joined(separator: ", ")), not \"\(target)\"")
        }
        // Its riders get one drafted list, never a variant's own: a variant target would sample nothing.
        if experiment.design == .interleaving, experiment.isRunning, target != "all" {
            throw FunctionError.invalidArgument(
                "experiment \"\(experiment.id)\" interleaves both variants in every list: target must be all")
        }
        let percent = body.samplePercent ?? 100
        guard percent.isFinite, (0...100).contains(percent) else {
            throw FunctionError.invalidArgument("samplePercent must be from 0 to 100, not \(percent)")
        }
        do {
            _ = try await serving.server.load(version, variant: "shadow")
        } catch RegistryError.unknownVersion {
            throw FunctionError.notFound("model version \(version) does not exist")
        } catch {
            throw FunctionError.failedPrecondition("model version \(version) cannot serve: \(error)")
        }
        let shadows = ShadowStore(store: serving.store)
        let found = try await shadows.current(experiment.id)
        let now = serving.clock.now()
        let next = ShadowDeployment(
            experimentId: experiment.id, generation: (found?.0.generation ?? 0) + 1, version: version, target: target,
            samplePercent: percent, startedAt: now, endedAt: nil)
        let replaced = found.map { $0.0.isActive } ?? false
        try await Self.swap(next, expecting: found?.etag, action: replaced ? "replace" : "start", shadows, context)
        await serving.server.refresh()
        context.logger.notice(
            "shadow started",
            metadata: ["version": "\(version)", "target": "\(target)", "samplePercent": "\(percent)"])
        return try .json(next)
    }

    /// The compare-and-swap both changes use: one attempt, so a concurrent change is reported, never overwritten.
    static func swap(
        _ next: ShadowDeployment, expecting etag: String?, action: String, _ shadows: ShadowStore,
        _ context: FunctionContext
    ) async throws {
        let audit = ShadowAudit(
            action: action, actor: "admin-api", at: next.endedAt ?? next.startedAt, shadow: next,
            requestId: context.requestId)
        do {
            try await shadows.swap(next, expecting: etag, audit: audit)
        } catch StorageError.preconditionFailed {
            throw FunctionError.conflict("the shadow changed while this request was prepared; read it and retry")
        }
    }
}
