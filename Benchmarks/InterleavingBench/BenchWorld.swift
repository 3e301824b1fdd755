import Foundation
import Recommender

/// The simulated ride world the experiments run in, and every ranker trained on its history once.
///
/// The models are fit exactly as `rideease train` fits them without tuning (the library's `TrainedModel.fit` with
/// the default iALS hyperparameters, only `factors` varied) on the world's 28 days of rides; each rider's top 10
/// per ranker is then fixed for the whole benchmark, as a deployed model version would be.
struct BenchWorld: Sendable {
    /// Slots of a recommendation list (the serving default limit).
    static let depth = 10

    let world: RideWorld
    /// Ranker name → lists.
    let rankers: [String: RankedLists]
    let clicks: CascadeClickModel
    let traffic: RiderTraffic

    /// `ials-<f>` for iALS with f factors (init seed 42), `ials-<f>-seed<s>` with another init seed, `popularity`.
    static func configuration(named name: String) -> ModelConfiguration? {
        if name == "popularity" { return .popularity }
        let parts = name.split(separator: "-")
        guard parts.count >= 2, parts[0] == "ials", let factors = Int(parts[1]) else { return nil }
        var seed: UInt64 = 42
        if parts.count == 3, parts[2].hasPrefix("seed"), let value = UInt64(parts[2].dropFirst(4)) { seed = value }
        return .ials(ALSConfiguration(factors: factors, seed: seed))
    }

    /// Builds the world and trains `rankerNames`, logging progress to stderr.
    init(
        configuration: RideWorldConfiguration, rankerNames: [String], clicks: CascadeClickModel,
        sessionsPerDay: Double, windowDays: Double, preWindowDays: Int, looks: Int
    ) throws {
        world = try RideWorld(configuration: configuration)
        let matrix = try InteractionMatrix(interactions: world.rides())
        var rankers: [String: RankedLists] = [:]
        for name in rankerNames {
            guard let model = Self.configuration(named: name) else {
                throw BenchError.unknownRanker(name)
            }
            let trained = try TrainedModel.fit(matrix, configuration: model)
            rankers[name] = RankedLists(name: name, model: trained, world: world, depth: Self.depth)
            Log.progress("trained \(name)")
        }
        self.rankers = rankers
        self.clicks = clicks
        traffic = RiderTraffic(
            activities: world.riders.map(\.activity), sessionsPerDay: sessionsPerDay, windowDays: windowDays,
            preWindowDays: preWindowDays, looks: looks)
    }

    /// The lists of a trained ranker.
    func lists(_ name: String) -> RankedLists {
        guard let lists = rankers[name] else { preconditionFailure("ranker \(name) was not trained") }
        return lists
    }

    /// The ground-truth gap between two rankers.
    func gap(control: String, treatment: String) -> GroundTruthGap {
        GroundTruthGap(
            control: lists(control), treatment: lists(treatment), riders: world.riders.count, clicks: clicks)
    }
}

/// Setup mistakes of the benchmark's own arguments.
enum BenchError: Error, CustomStringConvertible {
    case unknownRanker(String)
    case badArgument(String)

    var description: String {
        switch self {
        case .unknownRanker(let name): "unknown ranker \(name) (popularity, ials-<factors>[-seed<n>])"
        case .badArgument(let text): text
        }
    }
}

/// Progress lines on stderr, so stdout holds only the report.
enum Log {
    static let start = ContinuousClock.now

    static func progress(_ line: String) {
        let seconds = Double((ContinuousClock.now - start).components.seconds)
        FileHandle.standardError.write(Data((String(format: "[%5.0f s] ", seconds) + line + "\n").utf8))
    }
}
