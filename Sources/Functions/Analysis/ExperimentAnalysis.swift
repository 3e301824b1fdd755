import Experiments
import Foundation
import FunctionRuntime

/// An experiment's window read from its hourly tallies and analysed hour by hour: the timeline of cumulative
/// counts, and the summary at its end, for either design (``ABAnalysis``, ``InterleavingAnalysis``).
///
/// The window is `windowHours` UTC hours ending with the current one (or the hour the experiment stopped); by
/// default it reaches back to the experiment's start (at most 720 hours), so the sequential guarantee covers all
/// its data. Each hour's end is one look of the always-valid test over the counts cumulated since the window start,
/// and the running minimum of its p-value is carried from look to look. The sequence is thus recomputed from
/// durable tallies on every request — the same answer on every instance and every poll, whoever looked when —
/// instead of depending on a stored state that only advances when someone happens to poll.
struct ExperimentAnalysis {
    let timeline: ExperimentTimeline
    let report: ExperimentReport

    /// The recorded experiment the request names, or 404.
    static func record(_ request: FunctionRequest, serving: ServingContext) async throws -> ExperimentRecord {
        let experimentId = request.pathParameters["experimentId"] ?? ""
        guard ExperimentRecordStore.problem(withId: experimentId) == nil else {
            throw FunctionError.notFound("no experiment \"\(experimentId)\"")
        }
        let found: ExperimentRecord?
        do {
            found = try await serving.records.record(experimentId)?.0
        } catch {
            serving.metrics.storageError(operation: "lookup")
            throw FunctionError.unavailable("experiment data cannot be read right now; retry", retryAfterSeconds: 5)
        }
        if let found { return found }
        // The seed experiment exists from the start, even before the first deployment poll recorded it.
        if experimentId == serving.server.seed.id, case let active = try await serving.server.activeRecord(),
            active.id == experimentId
        {
            return active
        }
        throw FunctionError.notFound("no experiment \"\(experimentId)\"; GET /admin/experiments lists them")
    }

    /// Validates `windowHours` and analyses the request's experiment.
    static func load(_ request: FunctionRequest, serving: ServingContext) async throws -> ExperimentAnalysis {
        var hours: Int?
        if let text = request.query["windowHours"] {
            guard let value = Int(text), AnalysisWindow.allowedHours.contains(value) else {
                throw FunctionError.invalidArgument(
                    "windowHours must be a whole number from 1 to 720, not \"\(text)\"")
            }
            hours = value
        }
        return try await analyse(try await record(request, serving: serving), windowHours: hours, serving: serving)
    }

    /// Reads the experiment's tallies (and, for CUPED, its riders' pre-exposure history) and analyses them.
    static func analyse(
        _ record: ExperimentRecord, windowHours: Int?, serving: ServingContext
    ) async throws -> ExperimentAnalysis {
        guard let startedAt = record.startedAt else {
            throw FunctionError.failedPrecondition(
                "experiment \"\(record.id)\" has not started; POST /admin/experiments/\(record.id)/start")
        }
        let end = record.stoppedAt ?? serving.clock.now()
        let sinceStart = Int((end.timeIntervalSince(HourTally.hourStart(of: startedAt)) / 3600).rounded(.up))
        let count = windowHours ?? min(max(sinceStart, 1), AnalysisWindow.allowedHours.upperBound)
        let hourStarts = Self.windowHours(count, endingAt: end)
        let hours: [HourTally]
        var covariates: [UInt64: PreExposureCovariates.Covariate] = [:]
        do {
            let read = try await TallyStore(store: serving.store, experimentId: record.id)
                .read(hours: hourStarts, now: serving.clock.now())
            hours = hourStarts.map { read[$0] ?? HourTally(hourStart: $0) }
            if record.design == .ab, let cuped = record.cuped {
                covariates = try await PreExposureCovariates(store: serving.store).load(
                    firstExposure: CupedTracker.firstExposures(in: hours, variantNames: record.variantNames),
                    preWindowDays: cuped.preWindowDays)
            }
        } catch {
            serving.metrics.storageError(operation: "lookup")
            throw FunctionError.unavailable("experiment data cannot be read right now; retry", retryAfterSeconds: 5)
        }
        do throws(ExperimentsError) {
            switch record.design {
            case .ab:
                return try ABAnalysis.analyse(record: record, hours: hours, now: end, covariates: covariates)
            case .interleaving:
                return try InterleavingAnalysis.analyse(record: record, hours: hours, now: end)
            }
        } catch {
            throw FunctionError.failedPrecondition(error.description)
        }
    }

    /// The starts of the `count` UTC hours ending with the one holding `now`, oldest first.
    static func windowHours(_ count: Int, endingAt now: Date) -> [Date] {
        let current = HourTally.hourStart(of: now)
        return (0..<count).reversed().map { current.addingTimeInterval(-Double($0) * 3600) }
    }
}
