import Foundation
import FunctionRuntime
import Recommender

/// `POST /recommendations` `{"userId","limit","position"}`: top-k destinations from the model of the rider's A/B
/// variant, each with the display fields of the place catalog and its distance from `position` when given.
struct Recommend: FunctionHandler {
    /// `true` leaves out destinations the rider already went to in training.
    static let excludeSeenVariable = "RIDEEASE_EXCLUDE_SEEN"

    let serving: ServingContext
    /// Leave out destinations the rider already went to (``excludeSeenVariable`` is `true`).
    let excludeSeen: Bool

    struct Body: Decodable {
        var userId: String
        var limit: Int?
        var position: GeoPosition?
    }

    /// The answer: `{"experimentId","fallback","modelVersion","recommendations":[{"category"?,"distanceKm"?,
    /// "itemId","lat"?,"lon"?,"name"?,"rank","score"}],
    /// "requestId","userId","variant"}` (sorted keys, like every JSON answer), written by hand (see ``JSONText``).
    static func answer(
        requestId: String, userId: String, experimentId: String, variant: String, modelVersion: String,
        recommendations: [Recommendation], fallback: Bool, places: PlaceCatalog? = nil, position: GeoPosition? = nil
    ) -> FunctionResponse {
        var json = JSONText(capacity: 256 + recommendations.count * (places == nil ? 48 : 160))
        json.raw(#"{"experimentId":"#)
        json.string(experimentId)
        json.raw(#","fallback":"#)
        json.bool(fallback)
        json.raw(#","modelVersion":"#)
        json.string(modelVersion)
        json.raw(#","recommendations":"#)
        json.recommendations(recommendations, ranked: true, places: places, position: position)
        json.closeWithRequest(requestId: requestId, userId: userId, variant: variant)
        return FunctionResponse(status: 200, headers: ["Content-Type": "application/json"], body: json.data)
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let started = ContinuousClock.now
        let body: Body
        do {
            body = try request.decodeJSON(Body.self)
            try Self.validate(body)
        } catch {
            serving.metrics.failed(variant: nil, stage: .validation)
            throw error
        }
        let limit = body.limit ?? 10
        let assignment = serving.experiment.assign(userId: body.userId)
        // Riders outside the experiment's coverage get the control experience, outside the analysis.
        let variant = assignment?.variant ?? serving.experiment.variantNames[0]
        guard let loaded = serving.server.current.models[variant] else {
            serving.metrics.failed(variant: variant, stage: .model)
            if let assignment { serving.tallies.failure(variant: assignment.variant, at: serving.clock.now()) }
            throw FunctionError.unavailable(
                "no model is deployed yet: train one (POST /train or rideease train)", retryAfterSeconds: 5)
        }
        let list = loaded.model.recommendations(forUser: body.userId, limit: limit, excludeSeen: excludeSeen)
        let latency = Self.milliseconds(started.duration(to: .now))
        let metadata = loaded.metadata
        let trace = PredictionTrace(
            requestId: request.requestId, userId: body.userId, experimentId: serving.experiment.id, variant: variant,
            modelVersion: metadata.version.description, deploymentGeneration: serving.server.current.generation,
            dataSnapshotId: metadata.lineage.dataSnapshotId, pipelineGitSha: metadata.lineage.pipelineGitSha,
            containerImageDigest: metadata.lineage.containerImageDigest, artifactUri: metadata.lineage.artifactUri,
            latencyMs: latency, recommendations: list.items, fallback: list.fallback, createdAt: serving.clock.now())
        if !serving.traces.record(trace) { serving.metrics.failed(variant: variant, stage: .trace) }
        if assignment != nil {
            serving.tallies.exposure(userId: body.userId, variant: variant, latencyMs: latency, at: trace.createdAt)
        }
        serving.metrics.succeeded(variant: variant, milliseconds: latency, fallback: list.fallback)
        context.logger.info(
            "prediction",
            metadata: [
                "variant": .string(variant), "modelVersion": .string(metadata.version.description),
                "items": .stringConvertible(list.items.count), "fallback": .stringConvertible(list.fallback),
                "latencyMs": .stringConvertible(latency),
            ])
        return Self.answer(
            requestId: request.requestId, userId: body.userId, experimentId: serving.experiment.id,
            variant: variant, modelVersion: metadata.version.description, recommendations: list.items,
            fallback: list.fallback, places: serving.places.current, position: body.position)
    }

    static func validate(_ body: Body) throws(FunctionError) {
        guard RideEvent.isAcceptableId(body.userId), !body.userId.unicodeScalars.allSatisfy(\.properties.isWhitespace)
        else {
            throw .invalidArgument("userId must be 1-128 printable characters")
        }
        if let limit = body.limit, !(1...100).contains(limit) {
            throw .invalidArgument("limit must be between 1 and 100")
        }
        try body.position?.validate()
    }

    static func milliseconds(_ duration: Duration) -> Double {
        ((Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15) * 1000)
            .rounded() / 1000
    }
}
