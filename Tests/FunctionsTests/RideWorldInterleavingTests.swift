import Experiments
import Foundation
import Recommender
import Testing

/// Short form of `bench/interleaving-power.sh`: in a small simulated ride world, riders book through a cascade
/// (top-down, each slot with its ground-truth conversion probability, continuing with probability 0.9), and
///
/// - at one small sample size, team-draft interleaving of iALS against popularity reaches the correct significant
///   decision (sign test, ship) more often than an A/B test of the same riders (z-test on "booked at least once");
/// - in A/A experiments looked at after every twentieth of the traffic, the always-valid interleaving decision
///   ships or rolls back no more often than a Binomial(experiments, 5 %) count would allow.
///
/// Lives with the Functions tests because it needs both Recommender (world, trainers) and Experiments (TeamDraft,
/// SignTest, InterleavingDecision), and this target already depends on both.
@Suite("interleaving against A/B in the simulated ride world")
struct RideWorldInterleavingTests {
    static let experiments = 60
    static let depth = 10
    static let continuation = 0.9
    static let looks = 20

    /// The world and each rider's top 10 per ranker, with the conversion probability of each slot.
    struct Setup {
        let activities: [Double]
        let lists: [String: [[Int]]]
        let probabilities: [String: [[Int: Double]]]
    }

    /// Built once for both tests (a few seconds: three fits on 2,000 riders' rides).
    static let built = Result { () throws -> Setup in
        var configuration = RideWorldConfiguration()
        configuration.riders = 2_000
        configuration.places = 120
        let world = try RideWorld(configuration: configuration)
        let matrix = try InteractionMatrix(interactions: world.rides())
        let places = Dictionary(uniqueKeysWithValues: world.places.enumerated().map { ($1.id, $0) })
        var lists: [String: [[Int]]] = [:]
        var probabilities: [String: [[Int: Double]]] = [:]
        let models: [(String, ModelConfiguration)] = [
            ("popularity", .popularity), ("ials", .ials(ALSConfiguration(factors: 64))),
            ("ials-twin", .ials(ALSConfiguration(factors: 64, seed: 43))),
        ]
        for (name, model) in models {
            let trained = try TrainedModel.fit(matrix, configuration: model)
            for rider in world.riders {
                let ids = trained.recommendations(forUser: rider.id, limit: depth).items.map(\.itemId)
                lists[name, default: []].append(ids.map { places[$0]! })
                probabilities[name, default: []].append(
                    Dictionary(
                        uniqueKeysWithValues: ids.map {
                            (places[$0]!, world.conversionProbability(userId: rider.id, itemId: $0))
                        }))
            }
        }
        return Setup(activities: world.riders.map(\.activity), lists: lists, probabilities: probabilities)
    }

    let setup: Setup

    init() throws { setup = try Self.built.get() }

    /// An exposed rider (≥ 1 session over a 7-day window at 0.2 sessions a day × activity) and their sessions.
    func exposedRider(_ random: inout SeededGenerator) -> (rider: Int, sessions: Int) {
        while true {
            let rider = random.nextInt(below: setup.activities.count)
            let mean = setup.activities[rider] * 0.2 * 7
            var product = random.nextUnit(), sessions = 0
            while product > exp(-mean) {
                product *= random.nextUnit()
                sessions += 1
            }
            if sessions > 0 { return (rider, sessions) }
        }
    }

    /// The cascade: the booked slot, if any.
    static func booking(_ probabilities: [Double], _ random: inout SeededGenerator) -> Int? {
        for (slot, p) in probabilities.enumerated() {
            if random.nextUnit() < p { return slot }
            if random.nextUnit() >= Self.continuation { return nil }
        }
        return nil
    }

    /// A/B of popularity (control) and iALS: does the z-test on "booked at least once" ship at α = 0.05?
    func abShips(riders: Int, seed: UInt64) throws -> Bool {
        var random = SeededGenerator(seed: seed)
        var users = [0, 0], conversions = [0, 0]
        for _ in 0..<riders {
            let (rider, sessions) = exposedRider(&random)
            let arm = random.nextUnit() < 0.5 ? 1 : 0
            let name = arm == 1 ? "ials" : "popularity"
            let probabilities = setup.lists[name]![rider].map { setup.probabilities[name]![rider][$0]! }
            var booked = false
            for _ in 0..<sessions where Self.booking(probabilities, &random) != nil { booked = true }
            users[arm] += 1
            conversions[arm] += booked ? 1 : 0
        }
        let test = TwoProportionTest(
            control: try ConversionCounts(variant: "control", users: users[0], conversions: conversions[0]),
            treatment: try ConversionCounts(variant: "treatment", users: users[1], conversions: conversions[1]))
        guard let z = test.zTest.value else { return false }
        return z.pValue < 0.05 && z.z > 0
    }

    /// One interleaved session: the look that first sees it, its round-0 coin and the credited arm (nil: no booking).
    typealias Session = (look: Int, firstPick: Arm, credit: Arm?)

    /// One interleaving experiment, per rider. `swap` gives each rider a coin deciding which ranker plays control
    /// (an exact A/A).
    func interleave(control: String, treatment: String, riders: Int, seed: UInt64, swap: Bool) -> [[Session]] {
        var random = SeededGenerator(seed: seed)
        var result: [[Session]] = []
        for k in 0..<riders {
            let (rider, sessions) = exposedRider(&random)
            let (a, b) = swap && random.nextUnit() < 0.5 ? (treatment, control) : (control, treatment)
            var riderSessions: [Session] = []
            for s in 0..<sessions {
                let look = min(Self.looks - 1, Int(random.nextUnit() * Double(Self.looks)))
                let draft = TeamDraft.interleave(
                    control: setup.lists[a]![rider], treatment: setup.lists[b]![rider], limit: Self.depth,
                    seed: "test-\(seed)", requestId: "\(k)-\(s)")
                let probabilities = draft.items.map {
                    setup.probabilities[a]![rider][$0.item] ?? setup.probabilities[b]![rider][$0.item] ?? 0
                }
                let credit = Self.booking(probabilities, &random).map { draft.items[$0].arm }
                riderSessions.append((look, draft.firstPick, credit))
            }
            result.append(riderSessions)
        }
        return result
    }

    /// What the summary sees at look `look`: riders exposed by then, their credits and the first picks.
    static func counts(_ sessions: [[Session]], upTo look: Int) -> InterleavingCounts {
        var picks = FirstPicks(control: 0, treatment: 0)
        var exposed = 0
        let credits = sessions.map { riderSessions in
            var credit = RiderCredit(control: 0, treatment: 0, both: 0)
            if riderSessions.contains(where: { $0.look <= look }) { exposed += 1 }
            for session in riderSessions where session.look <= look {
                if session.firstPick == .control { picks.control += 1 } else { picks.treatment += 1 }
                switch session.credit {
                case .control?: credit.control += 1
                case .treatment?: credit.treatment += 1
                case .both?: credit.both += 1
                case nil: break
                }
            }
            return credit
        }
        return InterleavingCounts(exposedRiders: exposed, credits: credits, firstPicks: picks)
    }

    @Test("at the same number of riders, interleaving ships the better ranker more often than A/B")
    func interleavingIsMoreSensitive() throws {
        let riders = 50
        var abCorrect = 0, interleavingCorrect = 0
        for e in 0..<Self.experiments {
            if try abShips(riders: riders, seed: 1_000 + UInt64(e)) { abCorrect += 1 }
            let run = interleave(
                control: "popularity", treatment: "ials", riders: riders, seed: 2_000 + UInt64(e), swap: false)
            let counts = Self.counts(run, upTo: Self.looks - 1)
            if let p = SignTest.pValue(wins: counts.wins, losses: counts.losses).value, p < 0.05,
                counts.wins > counts.losses
            {
                interleavingCorrect += 1
            }
        }
        #expect(interleavingCorrect > abCorrect, "interleaving \(interleavingCorrect), A/B \(abCorrect) of 60")
    }

    @Test("A/A interleaving under 20 looks: always-valid false decisions stay within a 5 % binomial bound")
    func aaFalseDecisionsAreBounded() throws {
        let riders = 1_600
        let window = try AnalysisWindow(hours: 168)
        var falseDecisions = 0
        for e in 0..<Self.experiments {
            let run = interleave(
                control: "ials", treatment: "ials-twin", riders: riders, seed: 3_000 + UInt64(e), swap: true)
            var state = AlwaysValidState()
            for look in 0..<Self.looks {
                let summary = try InterleavingDecision.evaluate(
                    experimentId: "aa", window: window, counts: Self.counts(run, upTo: look), previousState: state)
                state = summary.alwaysValidState
                if summary.decision != .keepRunning {
                    falseDecisions += 1
                    break
                }
            }
        }
        // The smallest count that a 5 % false-decision rate reaches with probability below 1 % (8 of 60). The
        // sign test read at every look instead reaches it (10 of 60 here), so this can fail.
        var threshold = 0, tail = 1.0  // tail = P(X ≥ threshold)
        while tail >= 0.01 {
            tail -= Self.binomial(Self.experiments, threshold, 0.05)
            threshold += 1
        }
        #expect(falseDecisions < threshold, "\(falseDecisions) of \(Self.experiments) A/A experiments decided")
    }

    static func binomial(_ n: Int, _ k: Int, _ p: Double) -> Double {
        exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)))
            * pow(p, Double(k)) * pow(1 - p, Double(n - k))
    }
}
