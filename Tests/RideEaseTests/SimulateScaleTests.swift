import Foundation
import Testing

/// `rideease simulate` at scale: more cities, streamed segments; and the training thread-count setting.
@Suite("simulate cities and train threads from the command line")
struct SimulateScaleTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func simulatedCitiesAreStoredAndTrainOnOneThread() async throws {
        let simulated = try await RideEaseProcess.run(
            ["simulate", "--riders", "3000", "--places", "60", "--cities", "6", "--days", "3"], directory: directory)
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let count = try #require(
            (try JSONSerialization.jsonObject(with: Data(simulated.stdout.utf8)) as? [String: Int])?["rides"])
        #expect(count > 3000)
        // Rides are written in batches of riders: more than one segment, every line one canonical event.
        let events = directory.appendingPathComponent(".rideease/data/events")
        let files = try #require(FileManager.default.enumerator(at: events, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "jsonl" }
        #expect(files.count >= 2)
        let lines = try files.flatMap { try String(contentsOf: $0, encoding: .utf8).split(separator: "\n") }
        #expect(lines.count == count)
        let cities = Set(
            lines.compactMap { line in line.firstRange(of: #""city":"city-00"#).map { line[$0.upperBound...].prefix(1) }
            })
        #expect(cities.count == 6, "\(cities)")
        let trained = try await RideEaseProcess.run(
            ["train", "--algorithm", "popularity"], environment: ["RIDEEASE_TRAIN_THREADS": "1"],
            directory: directory)
        #expect(trained.status == 0, "\(trained.stderr)")
    }

    @Test(arguments: [["--cities", "0"], ["--cities", "61", "--places", "60"]])
    func badCityCountsAreRefused(arguments: [String]) async throws {
        let result = try await RideEaseProcess.run(["simulate"] + arguments, directory: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--cities"), "\(result.stderr)")
    }

    @Test(arguments: ["0", "many"])
    func aBadTrainThreadCountIsRefused(value: String) async throws {
        let result = try await RideEaseProcess.run(
            ["train"], environment: ["RIDEEASE_TRAIN_THREADS": value], directory: directory)
        #expect(result.status != 0)
        #expect(result.stderr.contains("RIDEEASE_TRAIN_THREADS"), "\(result.stderr)")
    }
}
