/// Sizes the training Cloud Run Job and checks the serving memory from the size of the data, by rules fitted to
/// `bench/scale.sh`'s figures (see docs/DEPLOYMENT.md, "Sizing at scale").
///
/// Training memory and time grow linearly with rides (every stage's exponent is about 1), so each is a fixed
/// base plus a per-ride cost, with headroom, rounded up to what Cloud Run offers.
enum TrainingJobSizing {
    /// Peak RSS of `rideease train` per ride in the snapshot (bytes): 3.97 GB at 10M rides up to the final fit,
    /// plus room for the artifact buffer, rounded up.
    static let bytesPerRide = 450
    /// Process baseline (runtime, buffers) in MiB.
    static let baseMiB = 256
    /// CPU seconds of a whole tuned `rideease train` per ride: 2.5e-5 s measured to the final fit without tuning
    /// at 10M rides; the default six-point grid adds six fits and evaluations, so about eight times that.
    static let cpuSecondsPerRide = 0.000_2
    /// Safety factor on the time estimate (the job must not be killed by its own timeout).
    static let timeoutHeadroom = 4.0
    /// Memory steps offered, in MiB.
    static let memorySteps = [512, 1024, 2048, 4096, 8192, 16384, 32768]
    /// Above this many rides the fit wants 4 CPUs (it uses every core); below, 2.
    static let fourCPURides = 5_000_000
    /// The serving service holds a model's factors, ids and history in memory: about this many times its
    /// artifact's bytes while loading (`bench/scale.sh`'s hot-swap at 1M rides: 274 MB peak for two 34 MB
    /// artifacts over a 50 MB baseline), rounded up.
    static let servingBytesPerArtifactByte = 3.5
    /// Serving baseline in MiB (runtime, NIO, caches) besides the models.
    static let servingBaseMiB = 64

    /// Memory, CPU and timeout for a training job over `rides` rides.
    static func training(rides: Int) -> (memory: String, cpu: String, timeoutSeconds: Int) {
        let neededMiB = baseMiB + Int((Double(rides) * Double(bytesPerRide) * 1.5 / 1_048_576).rounded(.up))
        let memoryMiB = memorySteps.first { $0 >= neededMiB } ?? memorySteps.last!
        let minimum = Int(CloudRunLimits.minimumCPUs(forMemoryMiB: Double(memoryMiB)))
        let cpus = max(minimum, rides >= fourCPURides ? 4 : 2)
        let seconds = Double(rides) * cpuSecondsPerRide / Double(cpus) * timeoutHeadroom
        let timeout = min(CloudRunLimits.jobTaskTimeoutSeconds, max(600, Int(seconds.rounded(.up))))
        let memory = memoryMiB % 1024 == 0 ? "\(memoryMiB / 1024)Gi" : "\(memoryMiB)Mi"
        return (memory, String(cpus), timeout)
    }

    /// MiB the serving service needs to hold two models of `artifactBytes` each during a hot-swap.
    static func servingMiBForTwoModels(artifactBytes: Int) -> Int {
        servingBaseMiB + Int((2 * Double(artifactBytes) * servingBytesPerArtifactByte / 1_048_576).rounded(.up))
    }
}
