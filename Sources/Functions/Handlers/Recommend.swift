import Experiments
import Foundation
import FunctionRuntime
import Recommender

/// `POST /recommendations` `{"userId","limit","position"}`: top-k destinations for a rider from the active
/// experiment — the model of the rider's A/B variant, or, under interleaving, one list team-drafted from both
/// models — each with the display fields of the place catalog and its distance from `position` when given.
struct Recommend: FunctionHandler {
    /// `true` leaves out destinations the rider already went to in training.
    static let excludeSeenVariable = "RIDEEASE_EXCLUDE_SEEN"
    /// The `variant` of a rider who got an interleaved list.
    static let interleavedVariant = "interleaved"

    let serving: ServingContext
    /// Leave out destinations the rider already went to (``excludeSeenVariable`` is `true`).
    let excludeSeen: Bool

    struct Body: Decodable {
        var userId: String
        var limit: Int?
        var position: GeoPosition?
    }

    /// What one request answers, before it is written out.
    struct Answer {
        var variant: String
        var metadata: ModelMetadata
        var items: [PredictionTrace.Item]
        var fallback: Bool
        var interleaving: InterleavingDraft?
        /// The model whose history describes the rider (the control's under interleaving), for the shadow.
        var servedModel: TrainedModel
        /// How the list was randomised, for the trace (propensities are in `items`).
        var policy: PredictionTrace.Policy
        var candidateCount: Int
        var exploredPosition: Int?
    }

    /// The answer: `{"experimentId","fallback","interleaving"?,"modelVersion","recommendations":[{"arm"?,
    /// "category"?,"distanceKm"?,"itemId","lat"?,"lon"?,"name"?,"rank","score"}],"requestId","userId","variant"}`
    /// (sorted keys, like every JSON answer), written by hand (see ``JSONText``).
    static func answer(
        requestId: String, userId: String, experimentId: String, variant: String, modelVersion: String,
        recommendations: [PredictionTrace.Item], fallback: Bool, interleaving: InterleavingDraft? = nil,
        places: PlaceCatalog? = nil, position: GeoPosition? = nil
    ) -> FunctionResponse {
        var json = JSONText(capacity: 256 + recommendations.count * (places == nil ? 48 : 160))
        json.raw(#"{"experimentId":"#)
        json.string(experimentId)
        json.raw(#","fallback":"#)
        json.bool(fallback)
        if let interleaving { json.interleaving(interleaving) }
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
        let state = serving.server.current
        let experiment = state.experiment
        // Riders outside coverage, and everyone once the experiment stopped, get one variant, outside the analysis.
        let assignment = experiment.isRunning ? state.definition.assign(userId: body.userId) : nil
        let answer: Answer
        if experiment.design == .interleaving, assignment != nil {
            answer = try interleaved(body, limit: limit, state: state, requestId: request.requestId)
        } else {
            let variant = assignment?.variant ?? state.servedVariants[0]
            let loaded = try model(variant, state: state, counted: assignment != nil)
            // Only riders in the experiment explore: the others are outside any analysis and any replay.
            let exploration = assignment != nil ? experiment.exploration : nil
            answer = ranked(
                body, limit: limit, variant: variant, loaded: loaded, exploration: exploration, state: state,
                requestId: request.requestId)
        }
        let latency = Self.milliseconds(started.duration(to: .now))
        let lineage = answer.metadata.lineage
        let trace = PredictionTrace(
            requestId: request.requestId, userId: body.userId, experimentId: experiment.id, variant: answer.variant,
            modelVersion: answer.metadata.version.description, deploymentGeneration: state.generation,
            dataSnapshotId: lineage.dataSnapshotId, pipelineGitSha: lineage.pipelineGitSha,
            containerImageDigest: lineage.containerImageDigest, artifactUri: lineage.artifactUri,
            latencyMs: latency, recommendations: answer.items, fallback: answer.fallback,
            createdAt: serving.clock.now(), interleaving: answer.interleaving, policy: answer.policy,
            candidateCount: answer.candidateCount, exploredPosition: answer.exploredPosition)
        if !serving.traces.record(trace) { serving.metrics.failed(variant: answer.variant, stage: .trace) }
        if let draft = answer.interleaving {
            serving.tallies.interleavedExposure(
                experimentId: experiment.id, userId: body.userId, firstPick: draft.firstPick, latencyMs: latency,
                at: trace.createdAt)
        } else if assignment != nil {
            serving.tallies.exposure(
                experimentId: experiment.id, userId: body.userId, variant: answer.variant, latencyMs: latency,
                at: trace.createdAt)
        }
        serving.metrics.succeeded(
            experimentId: experiment.id, variant: answer.variant, milliseconds: latency, fallback: answer.fallback)
        shadow(answer, state: state, request: request, userId: body.userId, at: trace.createdAt)
        context.logger.info(
            "prediction",
            metadata: [
                "variant": .string(answer.variant), "modelVersion": .string(trace.modelVersion),
                "items": .stringConvertible(answer.items.count), "fallback": .stringConvertible(answer.fallback),
                "latencyMs": .stringConvertible(latency),
            ].merging(context.riderId(body.userId)) { old, _ in old })
        return Self.answer(
            requestId: request.requestId, userId: body.userId, experimentId: experiment.id,
            variant: answer.variant, modelVersion: trace.modelVersion, recommendations: answer.items,
            fallback: answer.fallback, interleaving: answer.interleaving, places: serving.places.current,
            position: body.position)
    }

    /// One model's list, as ranked (every propensity 1), or with the experiment's ε-greedy exploration slot (the
    /// ranker's top `candidates` are scored so the slot can draw from them).
    private func ranked(
        _ body: Body, limit: Int, variant: String, loaded: LoadedModel, exploration: ExplorationSettings?,
        state: ServingState, requestId: String
    ) -> Answer {
        let model = loaded.model
        guard let exploration else {
            let list = model.recommendations(forUser: body.userId, limit: limit, excludeSeen: excludeSeen)
            let items = list.items.enumerated().map { position, recommendation in
                PredictionTrace.Item(
                    itemId: recommendation.itemId, score: recommendation.score, position: position + 1, propensity: 1)
            }
            return Answer(
                variant: variant, metadata: loaded.metadata, items: items, fallback: list.fallback,
                servedModel: model, policy: .deterministic, candidateCount: model.items.count)
        }
        let list = model.recommendations(
            forUser: body.userId, limit: max(limit, exploration.candidates), excludeSeen: excludeSeen)
        let explored = ExplorationSlot.apply(
            ranked: list.items.map(\.itemId), limit: limit, settings: exploration, seed: state.definition.seed,
            requestId: requestId)
        let scores = Dictionary(list.items.map { ($0.itemId, $0.score) }) { first, _ in first }
        let items = explored.items.enumerated().map { position, item in
            PredictionTrace.Item(
                itemId: item, score: scores[item] ?? 0, position: position + 1,
                propensity: explored.propensities[position])
        }
        return Answer(
            variant: variant, metadata: loaded.metadata, items: items, fallback: list.fallback, servedModel: model,
            policy: .epsilonGreedy, candidateCount: explored.candidateCount,
            exploredPosition: explored.exploredPosition.map { $0 + 1 })
    }

    /// One list drafted from the control's and the treatment's lists (team draft with competitive pairs); each
    /// item keeps the score of the model that placed it (the control's for an item both placed).
    private func interleaved(_ body: Body, limit: Int, state: ServingState, requestId: String) throws -> Answer {
        let control = try model("control", state: state, counted: true, variant: Self.interleavedVariant)
        let treatment = try model("treatment", state: state, counted: true, variant: Self.interleavedVariant)
        let lists = [control, treatment].map {
            $0.model.recommendations(forUser: body.userId, limit: limit, excludeSeen: excludeSeen)
        }
        let draft = TeamDraft.interleave(
            control: lists[0].items.map(\.itemId), treatment: lists[1].items.map(\.itemId), limit: limit,
            seed: state.definition.seed, requestId: requestId)
        let scores = [
            Dictionary(lists[0].items.map { ($0.itemId, $0.score) }) { first, _ in first },
            Dictionary(lists[1].items.map { ($0.itemId, $0.score) }) { first, _ in first },
        ]
        let ids = lists.map { $0.items.map(\.itemId) }
        let propensities = TeamDraft.propensities(
            control: ids[0], treatment: ids[1], limit: limit, drafted: draft.items.map(\.item))
        let items = draft.items.enumerated().map { position, drafted in
            let score = drafted.arm == .treatment ? scores[1][drafted.item] : scores[0][drafted.item]
            return PredictionTrace.Item(
                itemId: drafted.item, score: score ?? 0, arm: drafted.arm, position: position + 1,
                propensity: propensities?[position])
        }
        return Answer(
            variant: Self.interleavedVariant, metadata: control.metadata, items: items,
            fallback: lists[0].fallback || lists[1].fallback,
            interleaving: InterleavingDraft(
                firstPick: draft.firstPick, controlVersion: control.metadata.version.description,
                treatmentVersion: treatment.metadata.version.description),
            servedModel: control.model, policy: .interleaving, candidateCount: Set(ids[0] + ids[1]).count)
    }

    /// Hands a sampled request to the shadow, after the answer is made: the rider's list, latency and trace are
    /// the served model's whatever the shadow does.
    private func shadow(_ answer: Answer, state: ServingState, request: FunctionRequest, userId: String, at: Date) {
        guard let shadow = state.shadow,
            shadow.shadows(
                variant: answer.variant, sampleBucket: GrowthBookHash.bucket(seed: "shadow", value: request.requestId))
        else { return }
        serving.shadow.submit(
            ShadowScorer.Job(
                experimentId: state.experiment.id, version: shadow.version.description, variant: answer.variant,
                userId: userId, servedItems: answer.items.map(\.itemId), excludeSeen: excludeSeen,
                model: state.shadowModel?.model, served: answer.servedModel, at: at))
    }

    /// The model serving `name`, or 503 (counted against the experiment when the rider is in it).
    private func model(
        _ name: String, state: ServingState, counted: Bool, variant: String? = nil
    ) throws -> LoadedModel {
        if let loaded = state.models[name] { return loaded }
        let reported = variant ?? name
        serving.metrics.failed(variant: reported, stage: .model)
        if counted {
            serving.tallies.failure(experimentId: state.experiment.id, variant: reported, at: serving.clock.now())
        }
        throw FunctionError.unavailable(
            "no model is deployed yet: train one (POST /train or rideease train)", retryAfterSeconds: 5)
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
