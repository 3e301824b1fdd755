import Foundation

/// Runs independent simulated experiments on every core with a simple chunking: experiment indices are split into
/// one contiguous chunk per core, each chunk runs sequentially in a child task, and results come back in index
/// order. Every experiment has its own seed, so results do not depend on the core count.
enum ParallelExperiments {
    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    static func run<Result: Sendable>(
        count: Int, _ body: @escaping @Sendable (Int) throws -> Result
    ) async throws -> [Result] {
        let chunks = min(cores, max(count, 1))
        return try await withThrowingTaskGroup(of: (Int, [Result]).self) { group in
            for chunk in 0..<chunks {
                let range = (chunk * count / chunks)..<((chunk + 1) * count / chunks)
                group.addTask { (chunk, try range.map(body)) }
            }
            var parts = [[Result]](repeating: [], count: chunks)
            for try await (chunk, results) in group { parts[chunk] = results }
            return parts.flatMap { $0 }
        }
    }

    /// A well-mixed 64-bit seed for experiment `index` of a labelled series (SplitMix64 finaliser over the parts).
    static func seed(_ base: UInt64, _ parts: UInt64...) -> UInt64 {
        var state = base
        for part in parts {
            state = state &+ 0x9E37_79B9_7F4A_7C15 &+ part
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            state = z ^ (z >> 31)
        }
        return state
    }
}
