// Recommender benchmark (not a test): ML-100K-sized synthetic data, release build, single-threaded.
//   swift run -c release RecommenderBench [--tune] [--factors N] [--iterations N] [--lambda X] [--alpha X]
// Prints a Markdown report for bench/RESULTS.md.
import Foundation
import Recommender

#if canImport(Glibc)
import Glibc
#endif

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// CPU seconds of this thread: unlike wall time, not inflated when other builds share the 2 cores.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
}

func since(_ instant: ContinuousClock.Instant) -> Double { seconds(instant.duration(to: .now)) }

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let position = arguments.firstIndex(of: name), position + 1 < arguments.count else { return nil }
    return arguments[position + 1]
}

let clock = ContinuousClock()
var als = ALSConfiguration()
if let value = option("--factors").flatMap(Int.init) { als.factors = value }
if let value = option("--iterations").flatMap(Int.init) { als.iterations = value }
if let value = option("--lambda").flatMap(Double.init) { als.regularization = value }
if let value = option("--alpha").flatMap(Double.init) { als.alpha = value }
if let value = option("--nu").flatMap(Double.init) { als.frequencyScaling = value }
if let value = option("--cg").flatMap(Int.init) { als.conjugateGradientSteps = value }
let easeLambda = option("--ease-lambda").flatMap(Double.init) ?? EASEConfiguration().regularization

var start = clock.now
let interactions = SyntheticMovieLens().generate()
print("generated \(interactions.count) interactions in \(String(format: "%.2f", since(start))) s")
let split = try LeaveOneOutSplit(interactions: interactions, validation: false)
print(
    "users \(split.users.count), items \(split.items.count), train nnz \(split.train.nonZeroCount), "
        + "evaluated \(split.test.count), skipped \(split.skippedUsers)")

// Training time: median of 5 fits without the loss (the loss is a diagnostic, not part of training).
var times: [Double] = []
var cpuTimes: [Double] = []
var iALS: TrainedModel?
for _ in 0..<5 {
    start = clock.now
    let cpu = threadCPUSeconds()
    iALS = try TrainedModel.fit(split.train, configuration: .ials(als))
    cpuTimes.append(threadCPUSeconds() - cpu)
    times.append(seconds(start.duration(to: clock.now)))
}
times.sort()
cpuTimes.sort()
print(
    "iALS \(ModelConfiguration.ials(als)): fit median wall \(String(format: "%.3f", times[2])) s "
        + "(min \(String(format: "%.3f", times[0])) s), median CPU \(String(format: "%.3f", cpuTimes[2])) s")
_ = try ALSTrainer.fit(split.train, configuration: als) { iteration, elapsed, loss in
    print(String(format: "  iteration %d t=%.3f s loss=%.1f", iteration, elapsed, loss ?? .nan))
}

let easeCPU = threadCPUSeconds()
let ease = try TrainedModel.fit(split.train, configuration: .ease(EASEConfiguration(regularization: easeLambda)))
let easeSeconds = threadCPUSeconds() - easeCPU
let popularity = try TrainedModel.fit(split.train, configuration: .popularity)

print("\n| model | HR@10 | NDCG@10 | MRR@10 | coverage@10 | fit CPU (s) |")
print("|---|---|---|---|---|---|")
for (name, model, fit) in [("popularity", popularity, 0.0), ("iALS", iALS!, cpuTimes[2]), ("EASE", ease, easeSeconds)] {
    let m = OfflineEvaluator.evaluateTest(model, split: split).overall
    print(String(format: "| %@ | %.4f | %.4f | %.4f | %.4f | %.3f |", name, m.hitRate, m.ndcg, m.mrr, m.coverage, fit))
}

// Scoring throughput: top-10 over all 1,682 items, seen items excluded, every user, 20 passes.
let model = iALS!
start = clock.now
let scoringCPU = threadCPUSeconds()
var checksum = 0
let passes = 20
for _ in 0..<passes {
    for user in 0..<model.users.count { checksum &+= model.recommend(user: user, k: 10).first?.index ?? 0 }
}
let scoring = seconds(start.duration(to: clock.now))
let scoringCPUSeconds = threadCPUSeconds() - scoringCPU
print(
    String(
        format: "\nscoring: %.0f users/s wall, %.0f users/s per CPU-second (top-10 of %d items, iALS f=%d) [%d]",
        Double(passes * model.users.count) / scoring, Double(passes * model.users.count) / scoringCPUSeconds,
        model.items.count, als.factors, checksum % 7))
start = clock.now
for user in 0..<ease.users.count { checksum &+= ease.recommend(user: user, k: 10).first?.index ?? 0 }
print(String(format: "scoring: %.0f users/s (EASE)", Double(ease.users.count) / seconds(start.duration(to: clock.now))))
let bytes = model.artifactData()
start = clock.now
_ = try TrainedModel(artifact: bytes)
print(String(format: "artifact: %d bytes, decode+verify %.1f ms", bytes.count, 1000 * since(start)))

if CommandLine.arguments.contains("--tune") {
    start = clock.now
    let result = try TrainingPipeline(candidates: TrainingPipeline.defaultGrid(for: .ials)).run(interactions)
    print(String(format: "\npipeline (6-point grid on validation, refit, final fit): %.1f s", since(start)))
    for point in result.grid {
        print(String(format: "  %@  val NDCG@10 %.4f", point.configuration.description, point.validation.ndcg))
    }
    let t = result.test.overall
    print(
        String(
            format: "chosen %@: test HR@10 %.4f NDCG@10 %.4f MRR@10 %.4f cov %.4f", result.chosen.description,
            t.hitRate, t.ndcg, t.mrr, t.coverage))
}
print(String(format: "\npeak RSS: %.1f MiB", peakResidentMiB()))

// Closed-loop A/B in the synthetic ride world: same riders, impressions of 5, conversions by ground truth.
var world = RideWorldConfiguration()
world.riders = 2_000
world.places = 400
let rideWorld = try RideWorld(configuration: world)
let rides = rideWorld.rides()
let arms: [(String, ModelConfiguration)] = [
    ("popularity", .popularity), ("iALS", .ials(ALSConfiguration(factors: 32))),
]
print("\nride world: \(world.riders) riders, \(world.places) places, \(rides.count) rides over \(world.days) days")
for (name, configuration) in arms {
    let armModel = try TrainedModel.fit(rides, configuration: configuration)
    var random = SeededGenerator(seed: 2026)
    var converted = 0, impressions = 0
    for _ in 0..<10 {
        for rider in rideWorld.riders {
            let items = armModel.recommendations(forUser: rider.id, limit: 5).items.map(\.itemId)
            impressions += 1
            if rideWorld.simulateConversion(userId: rider.id, itemIds: items, using: &random) != nil { converted += 1 }
        }
    }
    let rate = 100 * Double(converted) / Double(impressions)
    print(String(format: "  %@: conversion %.2f%% of %d impressions", name, rate, impressions))
}
print(String(format: "\npeak RSS (end): %.1f MiB", peakResidentMiB()))
