import Foundation
import FunctionRuntime
import Logging
import Scheduler
import Storage
import Synchronization

/// Drains the ``TallyAccumulator`` into each experiment's ``TallyStore`` parts every `interval`, and once more on
/// shutdown.
///
/// A failed write puts the tallies back into the accumulator for the next round. Merging is a set union, so a
/// part that was written but whose answer was lost only costs a repeated request count, never a repeated rider.
final class TallyWriter: BackgroundTask, Sendable {
    static let defaultInterval: TimeInterval = 10

    let accumulator: TallyAccumulator
    let store: any ObjectStore
    let clock: any WallClock
    let interval: TimeInterval
    let logger: Logger
    private let writerID = SegmentWriter.randomWriterID()
    private let sequence = SequenceNumber()

    init(
        accumulator: TallyAccumulator, store: any ObjectStore, clock: any WallClock, logger: Logger,
        interval: TimeInterval = TallyWriter.defaultInterval
    ) {
        self.accumulator = accumulator
        self.store = store
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    var name: String { "experiment-tallies" }

    func run() async throws {
        while !Task.isCancelled {
            try await clock.sleep(until: clock.now().addingTimeInterval(interval))
            await flush()
        }
    }

    func shutdown() async {
        await flush()
    }

    /// Writes what has accumulated; returns whether everything was written.
    @discardableResult
    func flush() async -> Bool {
        var failed: [ExperimentHourTally] = []
        for tally in accumulator.drain() {
            do {
                try await TallyStore(store: store, experimentId: tally.experimentId)
                    .write(tally.tally, writerID: writerID, sequence: sequence.next())
            } catch {
                failed.append(tally)
                logger.warning(
                    "experiment tallies not written; kept for the next round", metadata: ["error": "\(error)"])
            }
        }
        accumulator.restore(failed)
        return failed.isEmpty
    }
}

/// 1, 2, 3, … across tasks.
final class SequenceNumber: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
