import Foundation
import FunctionRuntime
import Recommender
import Storage

/// `POST /admin/switch-model` `{"version","target":"all"|"control"|"treatment"}` and `POST /admin/rollback`.
///
/// The version must load and pass the smoke check before anything changes; the deployment is then replaced by
/// compare-and-swap (a concurrent change answers 409), audited, and picked up by every instance within the poll
/// interval — this one at once.
struct SwitchModel: FunctionHandler {
    let serving: ServingContext
    let deployments: DeploymentStore
    let rollback: Bool

    struct Body: Decodable {
        var version: String
        var target: String?
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let target = rollback ? "all" : (try? request.decodeJSON(Body.self))?.target ?? "all"
        let variants = serving.server.current.experiment.variantNames
        do {
            let experiment = try await serving.server.activeRecord()
            let answer =
                try await rollback ? rollBack(experiment, context) : switchTo(experiment, request, context)
            serving.metrics.switched(target: target, success: true)
            await serving.server.refresh()
            context.logger.notice(
                rollback ? "deployment rolled back" : "model switched",
                metadata: ["generation": "\(answer.generation)", "versions": "\(answer.current)"])
            return try .json(answer)
        } catch {
            serving.metrics.switched(
                target: variants.contains(target) ? target : "all", success: false)
            throw error
        }
    }

    private func switchTo(
        _ experiment: ExperimentRecord, _ request: FunctionRequest, _ context: FunctionContext
    ) async throws -> DeploymentChange {
        let body = try request.decodeJSON(Body.self)
        guard let version = ModelVersion(body.version) else {
            throw FunctionError.invalidArgument("version \"\(body.version)\" is not a model version like v0.2.0")
        }
        let target = body.target ?? "all"
        let variants = experiment.variantNames
        guard target == "all" || variants.contains(target) else {
            throw FunctionError.invalidArgument("target must be one of: all, \(variants.joined(separator: ", "))")
        }
        try await refuseRetired([version])
        do {
            _ = try await serving.server.load(version, variant: target == "all" ? variants[0] : target)
        } catch RegistryError.unknownVersion {
            throw FunctionError.notFound("model version \(version) does not exist")
        } catch {
            throw FunctionError.failedPrecondition("model version \(version) cannot serve: \(error)")
        }
        return try await change(experiment.id, action: "switch", context) { versions in
            for variant in variants where target == "all" || variant == target { versions[variant] = version }
        }
    }

    private func rollBack(_ experiment: ExperimentRecord, _ context: FunctionContext) async throws -> DeploymentChange {
        guard let (deployment, _) = try await deployments.current(experiment.id),
            let previous = deployment.previous
        else { throw FunctionError.conflict("there is no previous deployment to roll back to") }
        try await refuseRetired(Set(previous.values).sorted())
        return try await change(experiment.id, action: "rollback", context) { versions in versions = previous }
    }

    /// A retired version (a rider erasure deleted its artifact) is refused by name, with its successor: checked
    /// here and not only by loading, because a server may still hold the old model in its cache.
    private func refuseRetired(_ versions: [ModelVersion]) async throws {
        for version in versions {
            guard let retirement = try await serving.registry.retirement(of: version) else { continue }
            let error = RegistryError.retired(
                version, supersededBy: retirement.supersededBy, reason: retirement.reason)
            throw FunctionError.failedPrecondition("\(error)")
        }
    }

    /// Compare-and-swap of the deployment: one attempt, so a concurrent change is reported, never overwritten.
    private func change(
        _ experimentId: String,
        action: String,
        _ context: FunctionContext,
        _ edit: (inout [String: ModelVersion]) -> Void
    ) async throws -> DeploymentChange {
        let found = try await deployments.current(experimentId)
        let old = found?.0.versions ?? [:]
        var versions = old
        edit(&versions)
        let now = serving.clock.now()
        let generation = (found?.0.generation ?? 0) + 1
        let next = Deployment(
            experimentId: experimentId, generation: generation, versions: versions, previous: old,
            updatedAt: now, updatedBy: "admin-api")
        let audit = DeploymentAudit(
            action: action, actor: "admin-api", at: now, generation: generation, from: old, to: versions,
            requestId: context.requestId)
        do {
            try await deployments.swap(next, expecting: found?.1, audit: audit)
        } catch StorageError.preconditionFailed {
            throw FunctionError.conflict("the deployment changed while this switch was prepared; read it and retry")
        }
        return DeploymentChange(
            experimentId: experimentId, generation: generation, previous: old, current: versions)
    }
}
