import Foundation
import FunctionRuntime
import Logging
import Scheduler
import Storage

/// The nightly data maintenance: compacts event and trace segments into daily files, then enforces retention,
/// all while holding the maintenance lease so that it never interleaves with an erasure.
struct SegmentMaintenance: Sendable {
    /// What one run did.
    struct Report: Codable, Sendable, Hashable {
        /// Days merged into a new daily file, events and traces together.
        var daysCompacted: Int
        /// Small segments (and earlier daily files) merged.
        var segmentsMerged: Int
        /// Bytes written into daily files.
        var bytesWritten: Int
        /// Interrupted compactions finished or undone.
        var intentsResumed: Int
        /// Days left for the next run (a source changed while merging).
        var daysDeferred: Int
        /// Per prefix.
        var events: CompactionReport
        var traces: CompactionReport
        /// Objects retention deleted, per kind.
        var retentionDeleted: RetentionEnforcer.Report
        /// How long each part took, in seconds.
        var durations: Durations
    }

    /// Seconds spent per part.
    struct Durations: Codable, Sendable, Hashable {
        var compaction: Double
        var retention: Double
    }

    /// How long the lease lasts unless renewed (renewed every third of it while the run goes on).
    static let defaultLeaseSeconds: TimeInterval = 120

    let store: any ObjectStore
    let clock: any WallClock
    let retention: RetentionPolicy
    let owner: String
    let leaseSeconds: TimeInterval
    let logger: Logger

    /// Runs compaction and retention; throws ``StoreLeaseError/held(owner:until:)`` while an erasure or another
    /// maintenance run holds the lease.
    func run() async throws -> Report {
        let clock = self.clock
        return try await StoreLease(store: store, key: StoreLease.maintenanceKey).withLease(
            owner: owner, now: { clock.now() }, duration: leaseSeconds
        ) {
            let started = ContinuousClock.now
            let events = try await SegmentCompactor(
                store: store, prefix: "events", now: { clock.now() }, logger: logger
            ).run()
            let traces = try await SegmentCompactor(
                store: store, prefix: "traces", now: { clock.now() }, logger: logger
            ).run()
            let compacted = ContinuousClock.now
            let deleted = try await RetentionEnforcer(store: store, policy: retention, logger: logger).run(
                now: clock.now())
            let finished = ContinuousClock.now
            return Report(
                daysCompacted: events.daysCompacted + traces.daysCompacted,
                segmentsMerged: events.segmentsMerged + traces.segmentsMerged,
                bytesWritten: events.bytesWritten + traces.bytesWritten,
                intentsResumed: events.intentsResumed + traces.intentsResumed,
                daysDeferred: events.daysDeferred + traces.daysDeferred,
                events: events, traces: traces, retentionDeleted: deleted,
                durations: Durations(
                    compaction: Self.seconds(compacted - started), retention: Self.seconds(finished - compacted)))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
