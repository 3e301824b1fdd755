import Foundation

/// The progress of one rider's erasure, stored as `erasures/<riderHash>.json` and answered by
/// `GET /riders/{userId}/erasure`. It names the rider by keyed hash only.
public struct ErasureRecord: Codable, Sendable, Equatable {
    /// Whether the erasure still has work to do.
    public enum Status: String, Codable, Sendable {
        /// Requested; the sweep has not finished (or is waiting for the writers' buffers to settle).
        case pending
        /// Every stage ran after the settle time: nothing of the rider is left.
        case complete
    }

    /// The sweep's stages in order; each is recorded once done, so a rerun after a crash skips it.
    public enum Stage: String, Codable, Sendable, CaseIterable {
        case events, traces, places, models, tallies
        /// The second pass over events and traces after ``ErasureRecord/settleUntil``.
        case settled
    }

    /// One model version replaced by a patched one without the rider.
    public struct ModelPatchSummary: Codable, Sendable, Equatable {
        /// The version whose artifact held the rider (now retired).
        public var retired: String
        /// The patched version that replaces it.
        public var replacement: String

        /// Creates a summary.
        public init(retired: String, replacement: String) {
            self.retired = retired
            self.replacement = replacement
        }
    }

    /// What the sweep found and changed (the latest run of each stage; the settle pass adds to the first).
    public struct Counts: Codable, Sendable, Equatable {
        public var eventSegmentsScanned = 0
        public var eventSegmentsRewritten = 0
        public var eventsRemoved = 0
        public var traceSegmentsScanned = 0
        public var traceSegmentsRewritten = 0
        public var tracesRemoved = 0
        public var placesRemoved = 0
        public var modelPatches: [ModelPatchSummary] = []
        public var tallyPartsRewritten = 0

        /// No work counted yet.
        public init() {}
    }

    /// The rider's keyed hash (``RiderHash``).
    public var riderHash: String
    public var status: Status
    /// When the erasure was (last) requested.
    public var requestedAt: Date
    /// The final pass over events and traces waits until then, so that events still buffered in writers when the
    /// request came are in segments by then.
    public var settleUntil: Date
    /// When the last stage finished.
    public var completedAt: Date?
    /// The stages finished so far, in order.
    public var stagesDone: [Stage]
    public var counts: Counts
    /// The rider's id sealed with a key derived from the rider-hash key (``RiderHash``), so that the scheduled
    /// function can resume a pending erasure; never in clear, dropped once the erasure is complete.
    public var sealedUserId: String?

    /// The record as `GET /riders/{userId}/erasure` answers it: without the sealed id, which is for the sweep only.
    public var progress: ErasureRecord {
        var copy = self
        copy.sealedUserId = nil
        return copy
    }

    /// A pending erasure requested at `now`.
    public init(riderHash: String, requestedAt now: Date, settle: TimeInterval) {
        self.riderHash = riderHash
        status = .pending
        requestedAt = now
        settleUntil = now.addingTimeInterval(settle)
        completedAt = nil
        stagesDone = []
        counts = Counts()
    }

    /// The key a rider's record is stored under.
    public static func key(riderHash: String) -> String { "erasures/\(riderHash).json" }
}
