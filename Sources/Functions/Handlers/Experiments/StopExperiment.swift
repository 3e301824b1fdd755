import Foundation
import FunctionRuntime

/// `POST /admin/experiments/{experimentId}/stop` `{"serve":"control"|"treatment"}` (optional): ends a running
/// experiment.
///
/// Its summary at this moment is kept in the record and answered from then on; every rider gets the `serve`
/// variant's model (the control unless told), outside any analysis, until another experiment starts. Stopping an
/// experiment that is not running is a 409.
struct StopExperiment: FunctionHandler {
    let serving: ServingContext

    struct Body: Decodable {
        var serve: String?
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let body = request.body.isEmpty ? Body() : try request.decodeJSON(Body.self)
        let named = try await ExperimentAnalysis.record(request, serving: serving)
        guard let (record, etag) = try await serving.records.record(named.id) else {
            throw FunctionError.notFound("no experiment \"\(named.id)\"")
        }
        switch record.status {
        case .draft: throw FunctionError.conflict("experiment \"\(record.id)\" has not started")
        case .stopped: throw FunctionError.conflict("experiment \"\(record.id)\" is already stopped")
        case .running: break
        }
        let serve = body.serve ?? record.variantNames[0]
        guard record.variantNames.contains(serve) else {
            throw FunctionError.invalidArgument(
                "serve must be one of: \(record.variantNames.joined(separator: ", ")), not \"\(serve)\"")
        }
        let now = serving.clock.now()
        var stopped = record
        stopped.status = .stopped
        stopped.stoppedAt = now
        stopped.servedAfterStop = serve
        stopped.revision += 1
        stopped.finalSummary = try await ExperimentAnalysis.analyse(stopped, windowHours: nil, serving: serving).report
        try await serving.records.change(
            to: stopped, expecting: etag, action: "stop", from: .running, at: now, context: context
        ) { "experiment \"\(record.id)\" changed while it was stopped; retry" }
        await serving.server.refresh()
        context.logger.notice(
            "experiment stopped",
            metadata: [
                "experiment": "\(record.id)", "serve": "\(serve)",
                "decision": "\(stopped.finalSummary?.decision.rawValue ?? "")",
            ])
        return try .json(stopped)
    }
}
