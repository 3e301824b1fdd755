import FunctionRuntime

/// `POST /admin/erasures/resume` and every five minutes: finishes the erasures left pending (a process stopped or
/// killed during its sweep), so a crash delays an erasure but never loses it.
///
/// It never waits: an erasure whose final pass is not due yet (settle time, or a training run under way) gets its
/// first pass if it lacks one and is reported `waiting`; the run after its settle time finishes it. So one call
/// costs the sweeps it does, however many erasures are pending, and never outlasts a client's patience.
struct ResumeErasures: FunctionHandler {
    let serving: ServingContext

    /// What the invocation did.
    struct Report: Codable, Sendable, Equatable {
        /// Keyed hashes of the erasures completed now.
        var completed: [String]
        /// Keyed hashes of those being swept by another invocation now, or whose final pass is not due yet (a later
        /// run finishes them).
        var waiting: [String]
        /// Keyed hashes of those still pending (their id could not be unsealed, or the sweep failed: see the log).
        var pending: [String]
    }

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let sweep = try await ErasureInvocation.sweep(context, serving: serving)
        var report = Report(completed: [], waiting: [], pending: [])
        for riderHash in try await ErasureStore(store: context.storage).pending() {
            do {
                if try await sweep.isRunning(riderHash) {
                    report.waiting.append(riderHash)
                    continue
                }
                if let record = try await sweep.resume(riderHash: riderHash) {
                    if record.status == .complete {
                        report.completed.append(riderHash)
                        continue
                    }
                    if ErasureSweep.firstPass.allSatisfy(record.stagesDone.contains) {
                        report.waiting.append(riderHash)
                        continue
                    }
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                context.logger.error(
                    "resuming a rider erasure failed", metadata: ["riderHash": "\(riderHash)", "error": "\(error)"])
            }
            report.pending.append(riderHash)
        }
        return try .json(report)
    }
}
