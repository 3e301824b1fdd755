import Experiments
import Foundation
import Recommender

/// `InterleavingBench replay [runs] [requests-per-run] [seed]`: the replay-accuracy study (``ReplayStudy``) for two
/// candidates of the iALS-64 logging ranker, under both click models, printed as one table.
enum ReplayMain {
    static let epsilon = Setting.override("REPLAY_BENCH_EPSILON") ?? 0.2
    static let candidates = 20

    static func run(_ arguments: [UInt64]) async throws {
        let runs = Int(arguments.first ?? 200)
        let requests = Int(arguments.dropFirst().first ?? 20_000)
        let seed = arguments.dropFirst(2).first ?? 1
        var configuration = RideWorldConfiguration()
        configuration.riders = Setting.worldRiders
        configuration.places = Setting.places
        let world = try RideWorld(configuration: configuration)
        let matrix = try InteractionMatrix(interactions: world.rides())
        func lists(_ name: String, depth: Int) throws -> RankedLists {
            guard let model = BenchWorld.configuration(named: name) else { throw BenchError.unknownRanker(name) }
            let trained = try TrainedModel.fit(matrix, configuration: model)
            Log.progress("trained \(name)")
            return RankedLists(name: name, model: trained, world: world, depth: depth)
        }
        let logging = try lists("ials-64", depth: candidates)
        let traffic = RiderTraffic(
            activities: world.riders.map(\.activity), sessionsPerDay: Setting.sessionsPerDay,
            windowDays: Setting.windowDays, preWindowDays: Setting.preWindowDays, looks: 1)
        let settings = ExplorationSettings(epsilon: epsilon, candidates: candidates)
        print(
            "InterleavingBench replay: \(runs) runs × \(requests) logged requests per candidate and click model, seed \(seed)"
        )
        print(
            "logging policy: iALS 64 top-\(BenchWorld.depth) with an ε-greedy slot (ε = \(epsilon), \(candidates) "
                + "candidates); world \(Setting.worldRiders) riders, \(Setting.places) places; cascade continuation "
                + "\(Setting.continuation); position-based: slot j examined with probability 0.9^j")
        print("")
        print(
            "| candidate | clicks | logged rate | true rate | served rate | IPS mean (bias) | IPS RMSE | IPS CI covers served / true "
                + "| SNIPS mean (bias) | SNIPS RMSE | SNIPS CI covers served / true | matched requests | supported slots |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for name in ["ials-64-seed43", "ials-8", "popularity"] {
            let study = ReplayStudy(
                world: world, logging: logging, candidate: try lists(name, depth: BenchWorld.depth), traffic: traffic,
                settings: settings, continuation: Setting.continuation)
            for clicks in ReplayStudy.ClickModel.allCases {
                let results = try await ParallelExperiments.run(count: runs) { index in
                    study.run(index, requests: requests, clicks: clicks, seed: seed)
                }
                print(row(name, clicks, results))
                Log.progress("replayed \(name) under \(clicks.rawValue)")
            }
        }
    }

    /// One line of the table: means over runs, bias against the expected rate, RMSE and coverage against the
    /// rate the candidate achieved when served (and the expected one).
    static func row(_ name: String, _ clicks: ReplayStudy.ClickModel, _ runs: [ReplayStudy.Run]) -> String {
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        func summary(_ pick: (ReplayStudy.Run) -> ReplayInterval) -> String {
            let values = runs.map { pick($0).value }
            let bias = mean(zip(values, runs).map { $0 - $1.truth })
            let rmse = mean(zip(values, runs).map { ($0 - $1.served) * ($0 - $1.served) }).squareRoot()
            let coversServed = mean(runs.map { pick($0).lower <= $0.served && $0.served <= pick($0).upper ? 1 : 0 })
            let coversTruth = mean(runs.map { pick($0).lower <= $0.truth && $0.truth <= pick($0).upper ? 1 : 0 })
            return String(
                format: "%.4f (%+.4f) | %.4f | %.0f %% / %.0f %%", mean(values), bias, rmse, coversServed * 100,
                coversTruth * 100)
        }
        return String(
            format: "| %@ | %@ | %.4f | %.4f | %.4f | %@ | %@ | %.0f %% | %.1f %% |", name, clicks.rawValue,
            mean(runs.map(\.logged)), mean(runs.map(\.truth)), mean(runs.map(\.served)), summary(\.ips),
            summary(\.snips), mean(runs.map(\.matchedShare)) * 100, mean(runs.map(\.supportedShare)) * 100)
    }
}
