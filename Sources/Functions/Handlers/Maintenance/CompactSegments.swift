import Foundation
import FunctionRuntime
import Scheduler
import Storage

/// `compactSegments` (nightly schedule, `POST /admin/compact`): merges each finished day's small event and trace
/// segments into a daily file, then deletes what the manifest's `retention:` says is too old.
///
/// `RIDEEASE_MAINTENANCE_LEASE_SECONDS` (default 120) sets the maintenance lease's duration: how long a killed
/// run blocks the next one (and an erasure). Answers 409 while an erasure or another run holds the lease.
struct CompactSegments: FunctionHandler {
    static let leaseVariable = "RIDEEASE_MAINTENANCE_LEASE_SECONDS"

    let store: any ObjectStore
    let clock: any WallClock
    let retention: RetentionPolicy
    let owner: String

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let maintenance = SegmentMaintenance(
            store: store, clock: clock, retention: retention, owner: owner,
            leaseSeconds: try Self.leaseSeconds(context.configuration), logger: context.logger)
        do {
            let report = try await maintenance.run()
            context.logger.info(
                "maintenance finished",
                metadata: [
                    "daysCompacted": "\(report.daysCompacted)", "segmentsMerged": "\(report.segmentsMerged)",
                    "intentsResumed": "\(report.intentsResumed)", "daysDeferred": "\(report.daysDeferred)",
                ])
            return try .json(report)
        } catch let error as StoreLeaseError {
            throw FunctionError.conflict(
                "data maintenance cannot start: the maintenance lease is \(error) (compaction and erasure never "
                    + "run at once); retry later")
        }
    }

    /// The lease duration `configuration` sets, in seconds.
    static func leaseSeconds(_ configuration: [String: String]) throws -> TimeInterval {
        guard let text = configuration[leaseVariable] else { return SegmentMaintenance.defaultLeaseSeconds }
        guard let seconds = Double(text), seconds >= 0.1, seconds <= 3600 else {
            throw FunctionError.failedPrecondition(
                "\(leaseVariable) must be a number of seconds from 0.1 to 3600, not \"\(text)\"")
        }
        return seconds
    }
}
