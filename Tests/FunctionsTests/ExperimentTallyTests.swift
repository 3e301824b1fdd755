import Foundation
import FunctionRuntime
import Logging
import Scheduler
import Storage
import Testing

@testable import Functions

@Suite("experiment tallies: the pre-aggregation behind the summary")
struct ExperimentTallyTests {
    @Test func userSetsRoundTripWithoutStoringIds() throws {
        let set = UserSet(userIds: (0..<1000).map { "rider-\($0)" } + ["rider-7"])
        #expect(set.count == 1000)
        let data = try JSONCoding.encoder.encode(set)
        #expect(!String(decoding: data, as: UTF8.self).contains("rider"))
        #expect(try JSONCoding.decoder.decode(UserSet.self, from: data) == set)
        #expect(throws: DecodingError.self) { try JSONCoding.decoder.decode(UserSet.self, from: Data(#""AAAA""#.utf8)) }
        let other = UserSet(userIds: (500..<1500).map { "rider-\($0)" })
        #expect(set.intersectionCount(other) == 500)
        #expect(other.intersectionCount(set) == 500)
        var union = set
        union.formUnion(other)
        #expect(union == UserSet(userIds: (0..<1500).map { "rider-\($0)" }))
    }

    @Test func latencyQuantilesAreWithinTwoPercentOfExact() throws {
        var random = SystemRandomNumberGenerator()
        let values = (0..<20_000).map { _ in Double.random(in: 0.2...80, using: &random) }
        var histogram = LatencyHistogram()
        for value in values { histogram.record(milliseconds: value) }
        let exact = values.sorted()[Int((Double(values.count) * 0.95).rounded(.up)) - 1]
        let estimate = try #require(histogram.quantile(0.95))
        #expect(estimate >= exact && estimate <= exact * 1.02 + 1e-9)
        let decoded = try JSONCoding.decoder.decode(
            LatencyHistogram.self, from: try JSONCoding.encoder.encode(histogram))
        #expect(decoded == histogram)
        #expect(LatencyHistogram().quantile(0.95) == nil)
    }

    @Test func partsFromManyInstancesMergeAndSettledHoursAreRolledUp() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-tally-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try FileStore(root: root)
        let tallies = TallyStore(store: store, experimentId: "exp")
        let hour = Date(timeIntervalSince1970: 1_767_225_600)
        // Two instances see overlapping riders in the same hour.
        for (writer, riders) in [("a", 0..<60), ("b", 40..<100)] {
            let accumulator = TallyAccumulator()
            for rider in riders {
                accumulator.exposure(
                    experimentId: "exp", userId: "r\(rider)", variant: "control", latencyMs: 5, at: hour + 60)
            }
            accumulator.conversion(experimentId: "exp", userId: "r1", variant: "control", at: hour + 120)
            for (sequence, drained) in accumulator.drain().enumerated() {
                #expect(drained.experimentId == "exp")
                try await tallies.write(drained.tally, writerID: writer, sequence: sequence + 1)
            }
        }
        // Before the hour settles nothing is rolled up; afterwards a rollup appears and gives the same answer.
        let early = try await tallies.read(hours: [hour], now: hour + 3700)
        #expect(try await store.get(tallies.rollupKey(hour: hour)) == nil)
        let control = try #require(early[hour]?.variants["control"])
        #expect(control.exposed.count == 100)
        #expect(control.requests == 120)
        #expect(control.converted.count == 1)
        let late = hour + 3600 + TallyStore.settleTime + 1
        #expect(try await tallies.read(hours: [hour], now: late) == early)
        #expect(try await store.get(tallies.rollupKey(hour: hour)) != nil)
        // A part that lands after the rollup (a writer that was cut off from the store) still counts.
        var straggler = HourTally(hourStart: hour)
        straggler.variants["treatment"] = VariantTally(exposed: UserSet(userIds: ["r-late"]))
        try await tallies.write(straggler, writerID: "c", sequence: 1)
        let after = try await tallies.read(hours: [hour], now: late)
        #expect(after[hour]?.variants["treatment"]?.exposed.count == 1)
        #expect(after[hour]?.variants["control"]?.exposed.count == 100)
    }

    @Test func aFailedWriteKeepsTheTalliesForTheNextRound() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-tally-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let accumulator = TallyAccumulator()
        let hour = Date(timeIntervalSince1970: 1_767_225_600)
        // An experiment id no store accepts makes every write fail.
        accumulator.exposure(experimentId: "../escape", userId: "r1", variant: "control", latencyMs: 3, at: hour)
        let writer = TallyWriter(
            accumulator: accumulator, store: try FileStore(root: root), clock: VirtualClock(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        #expect(await writer.flush() == false)
        let kept = accumulator.drain()
        #expect(kept.count == 1)
        #expect(kept.first?.tally.variants["control"]?.exposed.count == 1)
    }
}

@Suite("RIDEEASE_EXPERIMENT")
struct ExperimentConfigurationTests {
    @Test(arguments: [#"{"id":"../x"}"#, #"{"id":"a/b"}"#, #"{"id":""}"#, #"{"id":"x","variants":[]}"#, "{"])
    func badDefinitionsAreStartupErrors(json: String) {
        #expect(throws: (any Error).self) {
            try HandlerFixture(environment: ["RIDEEASE_EXPERIMENT": json])
        }
    }
}
