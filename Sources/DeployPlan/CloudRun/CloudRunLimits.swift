/// Cloud Run's published limits that `functions.yaml` can break, checked before anything is deployed so a mistake
/// surfaces at plan time with its place in the file, not as a rejected revision.
enum CloudRunLimits {
    /// Whole CPUs Cloud Run offers.
    static let wholeCPUs: Set<Double> = [1, 2, 4, 6, 8]
    /// Memory bounds in MiB (128 MiB to 32 GiB).
    static let memoryRangeMiB: ClosedRange<Double> = 128...32768
    /// The longest request a service may serve.
    static let requestTimeoutSeconds = 3600
    /// Cloud Scheduler's attempt deadline for HTTP targets.
    static let schedulerDeadlineSeconds: ClosedRange<Int> = 15...1800
    /// The longest task of a Cloud Run Job (24 hours, generally available).
    static let jobTaskTimeoutSeconds = 86400
    /// Names Cloud Run sets itself; a container may not define them.
    static func isReservedEnvironmentName(_ name: String) -> Bool {
        name == "PORT" || name.hasPrefix("K_") || name.hasPrefix("CLOUD_RUN_")
    }

    /// CPUs from a Kubernetes quantity: `1`, `2`, `0.5`, `500m`.
    static func cpus(_ text: String) -> Double? {
        if text.hasSuffix("m") { return Double(text.dropLast()).map { $0 / 1000 } }
        return Double(text)
    }

    /// MiB from a Kubernetes quantity: `512Mi`, `1Gi`, `1G`, `512M`.
    static func memoryMiB(_ text: String) -> Double? {
        let units: [(String, Double)] = [("Gi", 1024), ("Mi", 1), ("G", 1e9 / 1_048_576), ("M", 1e6 / 1_048_576)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return nil
    }

    /// The fewest CPUs Cloud Run allows with `memory` MiB.
    static func minimumCPUs(forMemoryMiB memory: Double) -> Double {
        switch memory {
        case ...4096: 0
        case ...8192: 2
        case ...16384: 4
        case ...24576: 6
        default: 8
        }
    }

    /// Problems with the service's CPU, memory and concurrency, in the user's terms; empty when Cloud Run accepts
    /// them.
    static func problems(cpu cpuText: String, memory memoryText: String, concurrency: Int) -> [String] {
        var problems: [String] = []
        let cpu = cpus(cpuText)
        if let cpu {
            if cpu < 1, concurrency > 1 {
                problems.append(
                    "cpu \(cpuText) is below 1, which Cloud Run allows only with concurrency 1 (not \(concurrency))")
            } else if cpu >= 1, !wholeCPUs.contains(cpu) {
                problems.append("cpu \(cpuText) is not one of Cloud Run's sizes 1, 2, 4, 6 or 8")
            } else if cpu < 0.08 {
                problems.append("cpu \(cpuText) is below Cloud Run's minimum of 0.08")
            }
        } else {
            problems.append("cpu \"\(cpuText)\" is not a CPU quantity; write it like 1, 2 or 1000m")
        }
        guard let memory = memoryMiB(memoryText) else {
            problems.append("memory \"\(memoryText)\" is not a memory quantity; write it like 512Mi or 2Gi")
            return problems
        }
        if !memoryRangeMiB.contains(memory) {
            problems.append("memory \(memoryText) is outside Cloud Run's range 128Mi-32Gi")
        } else if let cpu, cpu < minimumCPUs(forMemoryMiB: memory) {
            let needed = minimumCPUs(forMemoryMiB: memory)
            problems.append(
                "memory \(memoryText) needs at least \(Int(needed)) CPUs on Cloud Run, "
                    + "not \(cpuText)")
        }
        return problems
    }
}
