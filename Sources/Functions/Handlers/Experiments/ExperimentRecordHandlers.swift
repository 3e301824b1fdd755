import Foundation
import FunctionRuntime
import Storage

/// `GET /admin/experiments`: every recorded experiment, newest first, and the active one.
struct ListExperiments: FunctionHandler {
    let serving: ServingContext

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let active = try await serving.server.activeRecord().id
        return try .json(ExperimentList(active: active, experiments: try await serving.records.list()))
    }
}

/// `GET /admin/experiments/{experimentId}`: one record with its audit trail.
struct GetExperiment: FunctionHandler {
    let serving: ServingContext

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let record = try await ExperimentAnalysis.record(request, serving: serving)
        return try .json(ExperimentDetail(experiment: record, audit: try await serving.records.audit(record.id)))
    }
}

/// `POST /admin/experiments`: records a draft experiment (201); an id already recorded is a 409.
struct CreateExperiment: FunctionHandler {
    let serving: ServingContext

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let record = try request.decodeJSON(ExperimentRequest.self).record(at: serving.clock.now())
        try await serving.records.change(
            to: record, expecting: nil, action: "create", from: nil, at: record.createdAt, context: context
        ) {
            "experiment \"\(record.id)\" already exists; choose another id"
        }
        context.logger.notice("experiment created", metadata: ["experiment": "\(record.id)"])
        return try .json(record, status: 201)
    }
}

extension ExperimentRecordStore {
    /// Compare-and-swap of a record with its audit entry; a lost race answers 409 with `conflict`'s message.
    func change(
        to next: ExperimentRecord, expecting etag: String?, action: String, from: ExperimentStatus?, at: Date,
        context: FunctionContext, conflict: () -> String
    ) async throws {
        let audit = Audit(
            action: action, actor: "admin-api", at: at,
            experimentId: next.id, from: from, to: next.status, revision: next.revision,
            requestId: context.requestId)
        do {
            try await swap(next, expecting: etag, audit: audit)
        } catch StorageError.preconditionFailed {
            throw FunctionError.conflict(conflict())
        }
    }
}
