// Artifact benchmark (not a test): encode/decode time and throughput of model.bin at a given size, and a
// synthetic model registered in a store for bench/coldstart.sh. Release build.
//   swift run -c release ArtifactBench codec [--users 50000,1000000] [--items 2000,20000] [--factors 64]
//   swift run -c release ArtifactBench register --storage DIR [--users 1000000] [--items 20000] [--factors 64]
import Foundation
import Recommender
import Storage

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func integers(_ name: String, default value: [Int]) -> [Int] {
    option(name).map { $0.split(separator: ",").compactMap { Int($0) } } ?? value
}

/// The best of `runs` timings (the machine is shared; the minimum is the least disturbed figure).
func best<T>(_ runs: Int, _ body: () throws -> T) rethrows -> (seconds: Double, value: T) {
    var fastest = Double.infinity
    var last: T?
    for _ in 0..<runs {
        let start = ContinuousClock.now
        let value = try body()
        fastest = min(fastest, seconds(start.duration(to: .now)))
        last = value
    }
    return (fastest, last!)
}

func codec() throws {
    let users = integers("--users", default: [50_000, 1_000_000])
    let items = integers("--items", default: [2_000, 20_000])
    let factors = Int(option("--factors") ?? "") ?? 64
    print("| riders | places | factors | artifact MB | encode s | encode MB/s | decode+verify s | decode MB/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (index, count) in users.enumerated() {
        let places = items[min(index, items.count - 1)]
        let model = TrainedModel.synthetic(users: count, items: places, factors: factors)
        let runs = count > 200_000 ? 2 : 5
        let (encodeSeconds, data) = best(runs) { ModelArtifact.encode(model) }
        let digest = ModelArtifact.sha256Hex(data)
        let (decodeSeconds, decoded) = try best(runs) { try ModelArtifact.decode(data, fileSHA256: digest) }
        precondition(decoded.users.count == count)
        let megabytes = Double(data.count) / 1e6
        print(
            "| \(count) | \(places) | \(factors) | \(String(format: "%.1f", megabytes)) "
                + "| \(String(format: "%.3f", encodeSeconds)) | \(String(format: "%.0f", megabytes / encodeSeconds)) "
                + "| \(String(format: "%.3f", decodeSeconds)) | \(String(format: "%.0f", megabytes / decodeSeconds)) |"
        )
    }
}

func register() async throws {
    guard let folder = option("--storage") else {
        FileHandle.standardError.write(Data("register needs --storage DIR\n".utf8))
        exit(2)
    }
    let users = Int(option("--users") ?? "") ?? 1_000_000
    let items = Int(option("--items") ?? "") ?? 20_000
    let factors = Int(option("--factors") ?? "") ?? 64
    let model = TrainedModel.synthetic(users: users, items: items, factors: factors)
    let registry = ModelRegistry(store: try FileStore(root: URL(fileURLWithPath: folder)))
    let metrics = RankingMetrics(users: 0, hitRate: 0, ndcg: 0, mrr: 0, coverage: 0)
    let metadata = try await registry.register(model) { version, uri, sha256, bytes in
        ModelMetadata(
            version: version,
            createdAt: Date(),
            algorithm: model.configuration.algorithm.rawValue,
            hyperparameters: model.configuration.hyperparameters,
            lineage: .init(
                dataSnapshotId: "synthetic", eventCount: 0, interactionCount: model.history.nonZeroCount,
                pipelineGitSha: "bench", containerImageDigest: "bench", artifactUri: uri, artifactSha256: sha256,
                artifactBytes: bytes),
            offlineMetrics: .init(k: 10, evaluatedUsers: 0, skippedUsers: 0, overall: metrics, subpopulations: [:]),
            tuning: [],
            trainingSeconds: 0,
            itemCount: items,
            userCount: users
        )
    }
    print("registered \(metadata.version): \(users) riders, \(items) places, \(metadata.lineage.artifactBytes) bytes")
}

switch CommandLine.arguments.dropFirst().first {
case "codec": try codec()
case "register": try await register()
default:
    FileHandle.standardError.write(Data("usage: ArtifactBench codec|register [options]\n".utf8))
    exit(2)
}
