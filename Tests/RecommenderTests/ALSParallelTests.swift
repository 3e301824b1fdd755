import Foundation
import Offload
import Testing

@testable import Recommender

@Suite("iALS in parallel")
struct ALSParallelTests {
    /// Enough users and items for several solve chunks and Gram blocks, so threads really split the work.
    static let matrix = Result { try InteractionMatrix(interactions: Fixtures.planted(users: 3_000, items: 4_400)) }

    @Test("a fit is bit-for-bit the same on 1, 2 and 3 threads", arguments: [0, 3])
    func threadCountDoesNotChangeTheFit(conjugateGradientSteps: Int) throws {
        let matrix = try Self.matrix.get()
        #expect(matrix.users.count > HalfStep.solveChunkRows && matrix.items.count > HalfStep.gramBlockRows)
        var configuration = ALSConfiguration(factors: 8, regularization: 0.01, alpha: 10, iterations: 2, seed: 5)
        configuration.conjugateGradientSteps = conjugateGradientSteps
        var losses: [Int: [Double]] = [:]
        var models: [Int: ALSModel] = [:]
        for threads in [1, 2, 3] {
            models[threads] = try ALSTrainer.fit(matrix, configuration: configuration, threads: threads) {
                _, _, loss in losses[threads, default: []].append(loss ?? .nan)
            }
        }
        let one = try #require(models[1])
        for threads in [2, 3] {
            let other = try #require(models[threads])
            #expect(other.userFactors == one.userFactors, "user factors on \(threads) threads")
            #expect(other.itemFactors == one.itemFactors, "item factors on \(threads) threads")
            #expect(losses[threads] == losses[1], "loss on \(threads) threads")
        }
    }

    @Test("the blocked parallel Gram matrix equals a plain sum of outer products")
    func gramMatchesReference() throws {
        let matrix = try Self.matrix.get()
        let stride = 8
        let side = HalfStep(
            offsets: matrix.userOffsets, indices: matrix.userItems, weights: matrix.userWeights,
            fixedCount: matrix.items.count, stride: stride,
            configuration: ALSConfiguration(factors: 8, regularization: 0.01, alpha: 10, iterations: 1, seed: 1))
        var random = SeededGenerator(seed: 9)
        let fixed = (0..<(matrix.items.count * stride)).map { _ in Float(random.nextGaussian()) }
        let gram = fixed.withUnsafeBufferPointer { side.gram($0.baseAddress!, threads: 2) }
        for (row, column) in [(0, 0), (3, 5), (7, 2)] {
            var expected = 0.0
            for item in 0..<matrix.items.count {
                expected += Double(fixed[item * stride + row]) * Double(fixed[item * stride + column])
            }
            #expect(abs(Double(gram[row * stride + column]) - expected) <= 1e-3 * max(1, abs(expected)))
        }
    }

    @Test("the fit's fan-out visits every chunk exactly once whatever the thread count", arguments: [1, 2, 5, 64])
    func everyChunkOnce(threads: Int) {
        let visits = (0..<37).map { _ in Counter() }
        Offload.cpu.forEach(chunks: 37, workers: threads) { chunk in visits[chunk].increment() }
        #expect(visits.allSatisfy { $0.value == 1 })
    }

    /// A fit inside a job of the CPU pool, with every other thread of the pool held: its fan-outs cannot get a
    /// helper, so the fit's own thread must do every chunk (as when several trainings run at once).
    @Test func aFitOnABusyCPUPoolFinishesAndMatchesTheSerialFit() async throws {
        let matrix = try Self.matrix.get()
        let configuration = ALSConfiguration(factors: 8, regularization: 0.01, alpha: 10, iterations: 1, seed: 5)
        let serial = try ALSTrainer.fit(matrix, configuration: configuration, threads: 1)
        let gate = DispatchSemaphore(value: 0)
        let others = Offload.cpu.threadCount - 1
        let held = Counter()
        let fit = try await withThrowingTaskGroup(of: ALSModel?.self) { group in
            for _ in 0..<others {
                group.addTask {
                    await Offload.cpu.run {
                        held.increment()
                        _ = gate.wait(timeout: .now() + 60)
                    }
                    return nil
                }
            }
            while held.value < others { try await Task.sleep(for: .milliseconds(2)) }
            let fit = try await Offload.cpu.run { () throws(RecommenderError) -> ALSModel in
                try ALSTrainer.fit(matrix, configuration: configuration, threads: 4)
            }
            for _ in 0..<others { gate.signal() }
            try await group.waitForAll()
            return fit
        }
        #expect(fit.userFactors == serial.userFactors)
        #expect(fit.itemFactors == serial.itemFactors)
    }
}

/// A thread-safe counter for the visit test.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int { lock.withLock { count } }

    func increment() { lock.withLock { count += 1 } }
}
