// How many riders team-draft interleaving needs to rank two recommenders, against an A/B test on conversion (raw
// z-test and CUPED), in the simulated ride world with a position-biased cascade click model; and whether the
// always-valid decisions stay under 5 % false ship/rollback in A/A experiments looked at after every batch.
//
// Usage: InterleavingBench [experiments-per-size] [max-riders] [seed]   (defaults: 500, 409,600, 1)
//        InterleavingBench replay [runs] [requests-per-run] [seed]      (defaults: 200, 20,000, 1; ReplayMain)
// Run through bench/interleaving-power.sh (release build). Progress goes to stderr, the report to stdout.
// For sensitivity runs only, INTERLEAVING_BENCH_CONTINUATION and INTERLEAVING_BENCH_SESSIONS_PER_DAY override the
// click model's continuation and the session rate (the report prints the values used).
import Experiments
import Foundation
import Recommender

if CommandLine.arguments.dropFirst().first == "replay" {
    let numbers = CommandLine.arguments.dropFirst(2).compactMap { UInt64($0) }
    try await ReplayMain.run(numbers)
    exit(0)
}
let arguments = CommandLine.arguments.dropFirst()
guard arguments.allSatisfy({ UInt64($0) != nil }), arguments.count <= 3 else {
    Log.progress("usage: InterleavingBench [experiments-per-size] [max-riders] [seed]")
    exit(2)
}
let numbers = arguments.compactMap { UInt64($0) }
let experiments = Int(numbers.first ?? 500)
let maxRiders = Int(numbers.dropFirst().first ?? 409_600)
let seed = numbers.dropFirst(2).first ?? 1
guard experiments >= 10, maxRiders >= 25 else {
    Log.progress("need at least 10 experiments per size and 25 riders")
    exit(2)
}

/// The setting, fixed so that runs compare: see bench/RESULTS.md for why each value.
enum Setting {
    static let worldRiders = 10_000
    static let places = 300
    /// Probability of looking at the next slot after one that did not convert.
    static let continuation = override("INTERLEAVING_BENCH_CONTINUATION") ?? 0.9
    /// Sessions (recommendation lists seen) per day for a rider of activity 1.
    static let sessionsPerDay = override("INTERLEAVING_BENCH_SESSIONS_PER_DAY") ?? 0.2
    static let windowDays = 7.0
    static let preWindowDays = 14
    static let looks = 20
    /// The smallest size of the doubling grid.
    static let smallest = 25
    /// Riders of the A/A experiments (capped by max-riders).
    static let aaRiders = 12_800
    /// The iALS factors compared with 64 in pair (b), in order of preference (the brief asks for 16).
    static let smallerFactors = [16, 8, 4]
    /// Pair (b) must differ by at least this share of the control's rate (and by 4 SE) to count as a known order.
    static let minimumRelativeGap = 0.01

    static func override(_ name: String) -> Double? {
        ProcessInfo.processInfo.environment[name].flatMap(Double.init)
    }
}

let started = ContinuousClock.now
var configuration = RideWorldConfiguration()
configuration.riders = Setting.worldRiders
configuration.places = Setting.places
let rankers = ["popularity", "ials-64", "ials-64-seed43"] + Setting.smallerFactors.map { "ials-\($0)" }
let bench = try BenchWorld(
    configuration: configuration, rankerNames: rankers, clicks: CascadeClickModel(continuation: Setting.continuation),
    sessionsPerDay: Setting.sessionsPerDay, windowDays: Setting.windowDays, preWindowDays: Setting.preWindowDays,
    looks: Setting.looks)

var notes: [String] = []
var smallGap = RankerPair(label: "pair (b) iALS 64 vs 16", control: "ials-16", treatment: "ials-64")
for factors in Setting.smallerFactors {
    let gap = bench.gap(control: "ials-\(factors)", treatment: "ials-64")
    let usable = gap.isMeasurable && gap.difference >= Setting.minimumRelativeGap * gap.controlRate
    notes.append(
        String(
            format: "iALS 64 vs %d: per-session booking %.4f vs %.4f, gap %+.3f pp (%.1f SE)%@", factors,
            gap.treatmentRate, gap.controlRate, gap.difference * 100, gap.difference / gap.standardError,
            usable ? " → used as pair (b)" : " → not a usable known order"))
    if usable {
        smallGap = RankerPair(label: "pair (b) iALS 64 vs \(factors)", control: "ials-\(factors)", treatment: "ials-64")
        break
    }
}
let pairs = [
    RankerPair(label: "pair (a) iALS 64 vs popularity", control: "popularity", treatment: "ials-64"), smallGap,
]

var sizes: [Int] = []
var size = Setting.smallest
while size <= maxRiders {
    sizes.append(size)
    size *= 2
}
let policy = DecisionPolicy()
let study = PowerStudy(bench: bench, experiments: experiments, sizes: sizes, seed: seed, policy: policy)
var results: [PairPower] = []
for (index, pair) in pairs.enumerated() {
    results.append(try await study.power(of: pair, pairIndex: UInt64(index)))
}
let aaRiders = min(Setting.aaRiders, maxRiders)
let aa = try await AAStudy(
    bench: bench, experiments: experiments, seed: seed, policy: policy, model: "ials-64", twin: "ials-64-seed43"
).run(riders: aaRiders)

print("InterleavingBench: \(experiments) experiments per size and design, sizes \(sizes.first!)…\(sizes.last!) riders")
print("(doubling), seed \(seed), \(ParallelExperiments.cores) cores")
print(
    "world: \(Setting.worldRiders) riders, \(Setting.places) places, 28 days of rides; top-\(BenchWorld.depth) "
        + "lists; cascade with continuation \(Setting.continuation); \(Setting.sessionsPerDay) sessions/day × "
        + "activity over a \(Int(Setting.windowDays))-day window (exposed riders: ≥ 1 session), pre-period "
        + "\(Setting.preWindowDays) days on control; \(Setting.looks) looks; α = \(policy.alpha), decision policy "
        + "defaults (≥ \(policy.minimumUsersPerVariant) users per variant / riders with a conversion)")
for note in notes { print("  " + note) }
var report = Report(sizes: sizes)
for result in results { report.pair(result) }
report.cuped(results, minimum: 400)
report.aa(aa, riders: aaRiders)
report.printGoals()
print("")
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let cpu =
    Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    / 1e6
let wall = started.duration(to: .now).components
print(String(format: "wall %.0f s, CPU %.0f s (user + system, all threads)", Double(wall.seconds), cpu))
