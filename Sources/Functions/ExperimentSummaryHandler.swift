import Experiments
import Foundation
import FunctionRuntime
import Recommender
import Storage

/// `GET /experiments/{experimentId}/summary?windowHours=24`: per-variant users and conversions in the window, the
/// tests, SRM, guardrails and the ship / rollback / keep-running decision (module `Experiments`).
///
/// The unit of analysis is the user: a user is exposed when a trace of theirs falls in the window, and converted
/// when a conversion attributed to one of their requests does. Traces and events are read from their hourly
/// segments for the window (no pre-aggregation yet).
struct ExperimentSummaryHandler: FunctionHandler {
    let serving: ServingContext
    let store: any ObjectStore

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let experimentId = request.pathParameters["experimentId"] ?? ""
        guard experimentId == serving.experiment.id else {
            throw FunctionError.notFound(
                "no experiment \"\(experimentId)\"; this service runs \"\(serving.experiment.id)\"")
        }
        let hoursText = request.query["windowHours"] ?? "24"
        guard let hours = Int(hoursText), AnalysisWindow.allowedHours.contains(hours) else {
            throw FunctionError.invalidArgument(
                "windowHours must be a whole number from 1 to 720, not \"\(hoursText)\"")
        }
        let end = serving.clock.now()
        let start = end.addingTimeInterval(-Double(hours) * 3600)
        let window = try AnalysisWindow(hours: hours, start: start, end: end)
        let exposure: Exposure
        do {
            exposure = try await Exposure.read(store: store, experimentId: experimentId, from: start, to: end)
        } catch {
            serving.metrics.storageError(operation: "lookup")
            throw FunctionError.unavailable("experiment data cannot be read right now; retry", retryAfterSeconds: 5)
        }
        let counts = try serving.experiment.variantNames.map { variant in
            try ConversionCounts(
                variant: variant,
                users: exposure.users[variant]?.count ?? 0,
                conversions: exposure.converted[variant]?.count ?? 0)
        }
        let guardrails = serving.experiment.variantNames.map { exposure.guardrail(for: $0) }
        do {
            let summary = try ExperimentDecision.evaluate(
                definition: serving.experiment, window: window, counts: counts,
                guardrails: (guardrails.first ?? nil, guardrails.dropFirst().first ?? nil))
            return try .json(summary)
        } catch let error as ExperimentsError {
            throw FunctionError.failedPrecondition(error.description)
        }
    }
}

/// Who saw which variant in a window, who converted, and the request latencies per variant.
struct Exposure {
    var users: [String: Set<String>] = [:]
    var converted: [String: Set<String>] = [:]
    var latencies: [String: [Double]] = [:]

    func guardrail(for variant: String) -> GuardrailMetrics? {
        guard let values = latencies[variant], !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let p95 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
        // Traces record answered requests only; failed ones are counted in metrics, not here.
        return GuardrailMetrics(requests: values.count, errors: 0, p95LatencyMs: p95)
    }

    static func read(
        store: any ObjectStore, experimentId: String, from start: Date, to end: Date
    ) async throws
        -> Exposure
    {
        var exposure = Exposure()
        let decoder = JSONCoding.decoder
        // Segments are named by the hour they were flushed in: read one hour past the window for the last flushes.
        for prefix in hourPrefixes(from: start, to: end.addingTimeInterval(3600), kind: "traces") {
            for line in try await lines(store, prefix) {
                guard let trace = try? decoder.decode(PredictionTrace.self, from: line),
                    trace.experimentId == experimentId, trace.createdAt >= start, trace.createdAt <= end
                else { continue }
                exposure.users[trace.variant, default: []].insert(trace.userId)
                exposure.latencies[trace.variant, default: []].append(trace.latencyMs)
            }
        }
        for prefix in hourPrefixes(from: start, to: end.addingTimeInterval(3600), kind: "events") {
            for line in try await lines(store, prefix) {
                guard let event = try? JSONDecoder().decode(RideEvent.self, from: line), event.type == .conversion,
                    event.experimentId == experimentId, let variant = event.variant,
                    exposure.users[variant]?.contains(event.userId) == true,
                    Double(event.timestamp) >= start.timeIntervalSince1970.rounded(.down),
                    Double(event.timestamp) <= end.timeIntervalSince1970
                else { continue }
                exposure.converted[variant, default: []].insert(event.userId)
            }
        }
        return exposure
    }

    static func hourPrefixes(from start: Date, to end: Date, kind: String) -> [String] {
        var prefixes: [String] = []
        var hour = (start.timeIntervalSince1970 / 3600).rounded(.down) * 3600
        while hour <= end.timeIntervalSince1970 {
            prefixes.append(kind + TraceLog.hourPrefix(Date(timeIntervalSince1970: hour)).dropFirst("traces".count))
            hour += 3600
        }
        return prefixes
    }

    private static func lines(_ store: any ObjectStore, _ prefix: String) async throws -> [Data] {
        var result: [Data] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: 1000)
            for segment in page.objects {
                guard let object = try await store.get(segment.key) else { continue }
                result += object.data.split(separator: UInt8(ascii: "\n")).map { Data($0) }
            }
            token = page.continuationToken
        } while token != nil
        return result
    }
}
