import Foundation
import FunctionRuntime
import Recommender
import Storage

/// `POST /admin/experiments/{experimentId}/start`: puts a draft experiment in front of riders.
///
/// One experiment serves at a time, so starting one while another runs is a 409 (stop it first). Each variant's
/// version — the one recorded, else what serves that variant now, else what serves the control, else the newest
/// registered — must load and pass the smoke check before anything changes. Then, in order: the experiment's
/// deployment is written, the record becomes `running` (audited), and the active pointer moves to it, each by
/// compare-and-swap; every instance follows within the poll interval, this one at once. Two starts racing both
/// pass the first check, but only one moves the pointer: the other puts its record back to `draft` and answers
/// 409, so no experiment is ever `running` without serving.
struct StartExperiment: FunctionHandler {
    let serving: ServingContext
    let deployments: DeploymentStore

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let (record, etag) = try await found(request)
        switch record.status {
        case .running: throw FunctionError.conflict("experiment \"\(record.id)\" is already running")
        case .stopped:
            throw FunctionError.conflict(
                "experiment \"\(record.id)\" has stopped; create a new experiment to run it again")
        case .draft: break
        }
        let pointer = try await serving.records.active()
        let current = try await serving.server.activeRecord()
        if current.isRunning, current.id != record.id {
            throw FunctionError.conflict("experiment \"\(current.id)\" is running; stop it before starting another")
        }
        let versions = try await versions(for: record, replacing: current)
        let now = serving.clock.now()
        let existing = try await deployments.current(record.id)
        let deployment = Deployment(
            experimentId: record.id, generation: (existing?.0.generation ?? 0) + 1, versions: versions,
            previous: existing?.0.versions, updatedAt: now, updatedBy: "admin-api")
        let audit = DeploymentAudit(
            action: "start", actor: "admin-api", at: now, generation: deployment.generation,
            from: existing?.0.versions ?? [:], to: versions, requestId: context.requestId)
        do {
            try await deployments.swap(deployment, expecting: existing?.etag, audit: audit)
        } catch StorageError.preconditionFailed {
            throw FunctionError.conflict("experiment \"\(record.id)\" changed while it was started; retry")
        }
        var running = record
        running.status = .running
        running.startedAt = now
        running.revision += 1
        for index in running.variants.indices {
            running.variants[index].version = versions[running.variants[index].name]?.description
        }
        try await serving.records.change(
            to: running, expecting: etag, action: "start", from: .draft, at: now, context: context
        ) { "experiment \"\(record.id)\" changed while it was started; retry" }
        do {
            try await serving.records.activate(record.id, expecting: pointer?.etag)
        } catch StorageError.preconditionFailed {
            try await revert(running, to: record, context: context)
            throw FunctionError.conflict("another experiment was started at the same time; read the list and retry")
        }
        await serving.server.refresh()
        context.logger.notice(
            "experiment started", metadata: ["experiment": "\(record.id)", "design": "\(record.design.rawValue)"])
        return try .json(running)
    }

    /// Puts a record whose start lost the race for the pointer back to its draft state (audited as `revert`).
    private func revert(_ running: ExperimentRecord, to draft: ExperimentRecord, context: FunctionContext) async throws
    {
        guard let (stored, etag) = try await serving.records.record(running.id), stored == running else { return }
        var reverted = draft
        reverted.revision = running.revision + 1
        try await serving.records.change(
            to: reverted, expecting: etag, action: "revert", from: .running, at: serving.clock.now(), context: context
        ) { "experiment \"\(draft.id)\" changed while it was put back to draft" }
    }

    private func found(_ request: FunctionRequest) async throws -> (ExperimentRecord, String) {
        let record = try await ExperimentAnalysis.record(request, serving: serving)
        guard let found = try await serving.records.record(record.id) else {
            throw FunctionError.notFound("no experiment \"\(record.id)\"")
        }
        return found
    }

    /// Each variant's version, checked to load and answer.
    private func versions(
        for record: ExperimentRecord, replacing current: ExperimentRecord
    ) async throws -> [String: ModelVersion] {
        let serving = try await deployments.current(current.id)?.0.versions ?? [:]
        let newest = try await ModelRegistry(store: self.serving.store).list().first?.version
        var versions: [String: ModelVersion] = [:]
        for variant in record.variants {
            let chosen =
                variant.version.flatMap(ModelVersion.init) ?? serving[variant.name]
                ?? serving[current.variantNames[0]] ?? newest
            guard let chosen else {
                throw FunctionError.failedPrecondition(
                    "no model is registered yet: train one (POST /train or rideease train) before starting")
            }
            do {
                _ = try await self.serving.server.load(chosen, variant: variant.name)
            } catch RegistryError.unknownVersion {
                throw FunctionError.notFound("variant \"\(variant.name)\": model version \(chosen) does not exist")
            } catch {
                throw FunctionError.failedPrecondition(
                    "variant \"\(variant.name)\": model version \(chosen) cannot serve: \(error)")
            }
            versions[variant.name] = chosen
        }
        return versions
    }
}
