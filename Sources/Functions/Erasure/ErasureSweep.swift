import Foundation
import Logging
import Recommender
import Scheduler
import Storage

/// Erases one rider from the store: events, traces, owned places, models, tallies, then — once the writers'
/// buffers have settled and no training run that may have read the rider is still under way — events, traces,
/// tallies and models once more, and moves any shadow off a retired version.
///
/// Holds the maintenance lease (``StoreLease/maintenanceKey``) while it rewrites, so it never interleaves with
/// compaction or another erasure, but not while it waits for the settle time. Each finished stage is recorded in
/// the rider's ``ErasureRecord``, so a rerun after a crash resumes where it stopped; every stage is idempotent, so
/// a stage cut short is simply run again.
public struct ErasureSweep: Sendable {
    let store: any ObjectStore
    let clock: any WallClock
    let settings: ErasureSettings
    let hash: RiderHash
    let logger: Logger
    /// One line per finished stage (the CLI prints them).
    var progress: @Sendable (String) -> Void
    /// Drops the rider from this process's in-memory state (the recent traces a serving instance answers from).
    var forgetInMemory: @Sendable (String) -> Void

    /// A sweep over `store`; `progress` and `forgetInMemory` default to doing nothing.
    public init(
        store: any ObjectStore, clock: any WallClock, settings: ErasureSettings, hash: RiderHash, logger: Logger,
        progress: @escaping @Sendable (String) -> Void = { _ in },
        forgetInMemory: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.store = store
        self.clock = clock
        self.settings = settings
        self.hash = hash
        self.logger = logger
        self.progress = progress
        self.forgetInMemory = forgetInMemory
    }

    /// The stages run at once; `.settled` (all of them again, and shadows) follows after the settle time.
    static let firstPass: [ErasureRecord.Stage] = [.events, .traces, .places, .models, .tallies]

    var erasures: ErasureStore { ErasureStore(store: store) }

    /// Records the request: a new pending erasure (audited `requested`), the pending one as it is, or a complete
    /// one started over (the rider may have come back since).
    public func request(_ userId: String) async throws -> ErasureRecord {
        let riderHash = hash.hash(userId)
        let now = clock.now()
        let sealed = try hash.seal(userId)
        let settle = settings.settle
        let before = try await erasures.record(riderHash)?.0
        let record = try await erasures.update(riderHash) { existing in
            if var existing, existing.status == .pending {
                existing.sealedUserId = existing.sealedUserId ?? sealed
                return existing
            }
            var fresh = ErasureRecord(riderHash: riderHash, requestedAt: now, settle: settle)
            fresh.sealedUserId = sealed
            return fresh
        }
        if before?.status != .pending {
            try await erasures.audit(.requested, record: record, at: now)
            logger.notice("rider erasure requested", metadata: ["riderHash": "\(riderHash)"])
        }
        forgetInMemory(userId)
        return record
    }

    /// Runs the erasure of `userId` to completion (or resumes it); `waitForSettle: false` never waits: the final
    /// pass runs only if it is due (settle time over, no training run under way), else it is left to a later run.
    @discardableResult
    public func run(_ userId: String, waitForSettle: Bool = true) async throws -> ErasureRecord {
        let riderHash = hash.hash(userId)
        guard var record = try await erasures.record(riderHash)?.0 else {
            return try await run(userId, after: try await request(userId), waitForSettle: waitForSettle)
        }
        if record.status == .complete { return record }
        record = try await run(userId, after: record, waitForSettle: waitForSettle)
        return record
    }

    /// Resumes the pending erasure of `riderHash` from its sealed id, without waiting (a final pass not yet due
    /// stays pending); `nil` when the id cannot be unsealed (the key changed since the request: a new request with
    /// the id finishes it).
    public func resume(riderHash: String) async throws -> ErasureRecord? {
        guard let record = try await erasures.record(riderHash)?.0, record.status == .pending else { return nil }
        guard let sealed = record.sealedUserId, let userId = hash.open(sealed), hash.hash(userId) == riderHash else {
            logger.error(
                "a pending erasure cannot be resumed: its id was sealed under another key",
                metadata: ["riderHash": "\(riderHash)"])
            return nil
        }
        return try await run(userId, after: record, waitForSettle: false)
    }

    /// Whether the final pass could run now: the settle time is over and no training run may still be reading
    /// the rider's events.
    func finalPassIsDue(_ record: ErasureRecord) async throws -> Bool {
        let now = clock.now()
        guard record.settleUntil <= now else { return false }
        return try await TrainingActivity.leaseExpiry(in: store, now: now) == nil
    }

    private func run(_ userId: String, after record: ErasureRecord, waitForSettle: Bool) async throws -> ErasureRecord {
        let riderHash = record.riderHash
        let rider = RiderLines(userId: userId)
        var record = record
        if Self.firstPass.contains(where: { !record.stagesDone.contains($0) }) {
            let started = record
            record = try await withMaintenanceLease(riderHash) {
                try await runStages(Self.firstPass, of: started, rider: rider)
            }
        }
        if !record.stagesDone.contains(.settled) {
            let due = try await finalPassIsDue(record)
            guard waitForSettle || due else { return record }
            if record.settleUntil > clock.now() {
                progress("waiting until \(record.settleUntil.formatted(.iso8601)) for buffered events to be written")
                try await clock.sleep(until: record.settleUntil)
            }
            // A training run that read the events before the first pass registers a model holding the rider when it
            // ends: wait for it (its lease lapses within the hour even if it died), then patch models once more.
            while let lease = try await TrainingActivity.leaseExpiry(in: store, now: clock.now()) {
                progress("waiting for the training run in progress (lease until \(lease.formatted(.iso8601)))")
                try await clock.sleep(until: min(lease, clock.now().addingTimeInterval(10)))
            }
            let settled = record
            record = try await withMaintenanceLease(riderHash) {
                try await runStages([.settled], of: settled, rider: rider)
            }
        }
        let now = clock.now()
        let completed = {
            var completed = record
            completed.completedAt = now
            return completed
        }()
        // Audited before it is marked complete: a crash in between audits twice rather than never.
        try await erasures.audit(.completed, record: completed, at: now)
        record = try await erasures.update(riderHash) { current in
            var current = current ?? completed
            current.status = .complete
            current.completedAt = now
            current.sealedUserId = nil
            return current
        }
        logger.notice("rider erasure complete", metadata: ["riderHash": "\(riderHash)"])
        progress("complete")
        return record
    }

    private func runStages(
        _ stages: [ErasureRecord.Stage], of record: ErasureRecord, rider: RiderLines
    ) async throws -> ErasureRecord {
        var record = record
        for stage in stages where !record.stagesDone.contains(stage) {
            let apply = try await perform(stage, rider: rider, riderHash: record.riderHash)
            let previous = record
            record = try await erasures.update(record.riderHash) { current in
                var current = current ?? previous
                apply(&current.counts)
                if !current.stagesDone.contains(stage) { current.stagesDone.append(stage) }
                return current
            }
        }
        return record
    }

    /// Does one stage's work and returns how it changes the counts.
    private func perform(
        _ stage: ErasureRecord.Stage, rider: RiderLines, riderHash: String
    ) async throws -> @Sendable (inout ErasureRecord.Counts) -> Void {
        switch stage {
        case .events:
            let outcome = try await SegmentErasure(store: store, prefix: "events/").erase(rider)
            progress(Self.describe("events", outcome))
            return { $0.setEvents(outcome) }
        case .traces:
            forgetInMemory(rider.userId)
            let outcome = try await SegmentErasure(store: store, prefix: "traces/").erase(rider)
            progress(Self.describe("traces", outcome))
            return { $0.setTraces(outcome) }
        case .places:
            let removed = try await PlaceErasure(store: store).erase(rider.userId, now: clock.now())
            progress("places: \(removed) removed")
            return { $0.placesRemoved = removed }
        case .models:
            let patches = try await ModelErasure(store: store).eraseRider(
                rider.userId, erasureId: riderHash, now: clock.now())
            let summaries = patches.map {
                ErasureRecord.ModelPatchSummary(
                    retired: $0.retired.description, replacement: $0.replacement.description)
            }
            let patched = summaries.map { "\($0.retired) -> \($0.replacement)" }.joined(separator: ", ")
            progress("models: " + (patched.isEmpty ? "no version held the rider" : patched))
            _ = try await ShadowErasure(store: store).followRetirements(erasureId: riderHash, now: clock.now())
            return { $0.modelPatches = summaries }
        case .tallies:
            let parts = try await TallyErasure(store: store).eraseRider(rider.userId)
            progress("tallies: \(parts) parts rewritten")
            return { $0.tallyPartsRewritten = parts }
        case .settled:
            forgetInMemory(rider.userId)
            let events = try await SegmentErasure(store: store, prefix: "events/").erase(rider)
            let traces = try await SegmentErasure(store: store, prefix: "traces/").erase(rider)
            // The tallies too: an instance's in-memory tally of the last seconds is flushed after the first pass.
            let parts = try await TallyErasure(store: store).eraseRider(rider.userId)
            let patches = try await ModelErasure(store: store).eraseRider(
                rider.userId, erasureId: riderHash, now: clock.now())
            let shadows = try await ShadowErasure(store: store).followRetirements(
                erasureId: riderHash, now: clock.now())
            progress(
                "final pass: " + Self.describe("events", events) + "; " + Self.describe("traces", traces)
                    + "; models patched: \(patches.count); shadows moved: \(shadows)")
            let summaries = patches.map {
                ErasureRecord.ModelPatchSummary(
                    retired: $0.retired.description, replacement: $0.replacement.description)
            }
            return { counts in
                counts.addEvents(events)
                counts.addTraces(traces)
                counts.tallyPartsRewritten += parts
                // A version patched in the first pass is reported again by a rerun: count each patch once.
                counts.modelPatches += summaries.filter { !counts.modelPatches.contains($0) }
            }
        }
    }

    private static func describe(_ what: String, _ outcome: SegmentErasure.Outcome) -> String {
        "\(what): \(outcome.scanned) segments scanned, \(outcome.rewritten) rewritten, \(outcome.removed) lines removed"
    }
}
