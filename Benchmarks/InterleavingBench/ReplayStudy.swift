import Experiments
import Foundation
import Recommender

/// Does replaying logged traffic predict what a candidate model then achieves? Each simulated run logs `requests`
/// sessions of riders served by the logging ranker with an ε-greedy exploration slot (``ExplorationSlot``, the
/// serving code's own), replays the candidate on them (``ReplayEstimator``: item-position IPS and SNIPS), and then
/// serves the candidate to the same riders for real; the report compares the estimate with the rate achieved.
///
/// Two click models: the cascade of the power study (a rider books at most one place, and a slot is looked at only
/// when the ones above it did not convert — the estimator's item-position assumption does NOT hold) and a
/// position-based model (slot j is looked at with probability `0.9^j` whatever is above it, each look books with the
/// place's own probability — the assumption holds). The second is the control: there IPS must be unbiased.
struct ReplayStudy: Sendable {
    /// How a rider acts on a list: the bookings per slot, given each slot's conversion probability.
    enum ClickModel: String, CaseIterable, Sendable {
        case cascade, positionBased = "position-based"

        func bookings(_ probabilities: [Double], continuation: Double, using random: inout SeededGenerator) -> [Bool] {
            var booked = [Bool](repeating: false, count: probabilities.count)
            switch self {
            case .cascade:
                for slot in probabilities.indices {
                    if random.nextUnit() < probabilities[slot] {
                        booked[slot] = true
                        break
                    }
                    if continuation < 1, random.nextUnit() >= continuation { break }
                }
            case .positionBased:
                for slot in probabilities.indices {
                    booked[slot] = random.nextUnit() < Self.examination(slot) && random.nextUnit() < probabilities[slot]
                }
            }
            return booked
        }

        /// The expected bookings of one session of this list.
        func expected(_ probabilities: [Double], continuation: Double) -> Double {
            switch self {
            case .cascade:
                CascadeClickModel(continuation: continuation).conversionProbability(count: probabilities.count) {
                    probabilities[$0]
                }
            case .positionBased:
                probabilities.indices.map { Self.examination($0) * probabilities[$0] }.reduce(0, +)
            }
        }

        static func examination(_ slot: Int) -> Double { pow(0.9, Double(slot)) }
    }

    /// One run's figures.
    struct Run: Sendable {
        var ips: ReplayInterval
        var snips: ReplayInterval
        /// Bookings per request when the candidate then served the same riders (realised, and expected).
        var served: Double
        var truth: Double
        var logged: Double
        var matchedShare: Double
        /// Share of the candidate's slots whose place is in the logging ranker's candidate set (the support).
        var supportedShare: Double
    }

    let world: RideWorld
    /// The logging ranker's top `settings.candidates` per rider, and the candidate's top 10.
    let logging: RankedLists
    let candidate: RankedLists
    let traffic: RiderTraffic
    let settings: ExplorationSettings
    let continuation: Double

    /// Logs, replays and serves one run.
    func run(_ index: Int, requests: Int, clicks: ClickModel, seed: UInt64) -> Run {
        var random = SeededGenerator(seed: ParallelExperiments.seed(seed, UInt64(index)))
        let shown = BenchWorld.depth
        var logged: [LoggedRequest] = []
        logged.reserveCapacity(requests)
        var servedBookings = 0.0, truth = 0.0, loggedBookings = 0.0, supported = 0
        for request in 0..<requests {
            let rider = traffic.exposedRider(using: &random).rider
            // Items are named by their rank in the logging ranker's candidate list, so lists compare as strings.
            let ranked = (0..<logging.depth).map(String.init)
            let explored = ExplorationSlot.apply(
                ranked: ranked, limit: shown, settings: settings, seed: "replay-bench",
                requestId: "run\(index)-\(request)")
            let probabilities = explored.items.map { logging.probabilities[rider * logging.depth + Int($0)!] }
            let booked = clicks.bookings(probabilities, continuation: continuation, using: &random)
            loggedBookings += Double(booked.filter { $0 }.count)
            let target = candidate.list(rider).map { place -> String in
                guard let rank = logging.rank(of: place, rider: rider) else { return "place-\(place)" }
                supported += 1
                return String(rank)
            }
            logged.append(
                LoggedRequest(
                    slots: explored.items.indices.map {
                        LoggedSlot(
                            item: explored.items[$0], propensity: explored.propensities[$0], converted: booked[$0])
                    },
                    target: target))
            let candidateProbabilities = Array(candidate.probabilities[(rider * shown)..<((rider + 1) * shown)])
            servedBookings += Double(
                clicks.bookings(candidateProbabilities, continuation: continuation, using: &random).filter { $0 }.count)
            truth += clicks.expected(candidateProbabilities, continuation: continuation)
        }
        let estimate = ReplayEstimator.estimate(logged)
        let n = Double(requests)
        return Run(
            ips: estimate.ips, snips: estimate.snips, served: servedBookings / n, truth: truth / n,
            logged: loggedBookings / n, matchedShare: Double(estimate.matchedRequests) / n,
            supportedShare: Double(supported) / (n * Double(shown)))
    }
}

extension RankedLists {
    /// The 0-based rank of `place` in rider `r`'s list, or `nil` when the list does not hold it.
    func rank(of place: Int, rider r: Int) -> Int? {
        for slot in 0..<depth where items[r * depth + slot] == place { return slot }
        return nil
    }
}
