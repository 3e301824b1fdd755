// Storage benchmark: PUT / GET / LIST throughput and latency for FileStore and S3Store in one run.
// Not a test. Run through bench/storage-bench.sh, which starts moto and passes its endpoint and key.
import Foundation
import Storage

/// Command-line options: `--count N --size BYTES --concurrency C --folder PATH --s3 URL`.
struct Options {
    var count = 1000
    var size = 4096
    var concurrency = 4
    var folder: String?
    var s3: String?

    init(_ arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchError("missing value for \(flag)") }
            switch flag {
            case "--count": count = Int(value) ?? count
            case "--size": size = Int(value) ?? size
            case "--concurrency": concurrency = max(1, Int(value) ?? concurrency)
            case "--folder": folder = value
            case "--s3": s3 = value
            default: throw BenchError("unknown option \(flag)")
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Latencies of one operation kind, and the wall time they took together.
struct Sample {
    var latencies: [Duration]
    var wall: Duration

    func line(_ name: String, unit: String = "ops", perOp: Int = 1) -> String {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> String {
            let index = min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)
            return milliseconds(sorted[max(0, index)])
        }
        let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let rate = Double(latencies.count * perOp) / seconds
        return "\(name.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(format: "%9.1f", rate)) \(unit)/s"
            + "  p50 \(percentile(0.50)) ms  p99 \(percentile(0.99)) ms  (n=\(latencies.count))"
    }

    private func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%7.2f", value)
    }
}

/// Runs `operation` for every index with `concurrency` in flight, timing each call.
func measure(
    count: Int,
    concurrency: Int,
    _ operation: @escaping @Sendable (Int) async throws -> Void
) async throws -> Sample {
    let clock = ContinuousClock()
    let start = clock.now
    let latencies = try await withThrowingTaskGroup(of: Duration.self) { group in
        var next = 0
        var results: [Duration] = []
        func add() {
            let index = next
            group.addTask { try await clock.measure { try await operation(index) } }
            next += 1
        }
        while next < min(concurrency, count) { add() }
        while let latency = try await group.next() {
            results.append(latency)
            if next < count { add() }
        }
        return results
    }
    return Sample(latencies: latencies, wall: clock.now - start)
}

func bench(_ name: String, store: any ObjectStore, options: Options) async throws {
    let payload = Data((0..<options.size).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    let run = UUID().uuidString.prefix(8)
    let key = { @Sendable (index: Int) in "bench/\(run)/obj-\(String(format: "%06d", index))" }
    let put = try await measure(count: options.count, concurrency: options.concurrency) { index in
        try await store.put(key(index), data: payload, precondition: .ifNoneMatch)
    }
    let get = try await measure(count: options.count, concurrency: options.concurrency) { index in
        guard try await store.get(key(index))?.data.count == payload.count else { throw BenchError("bad read") }
    }
    // LIST: every page of 1000 keys, sequentially (pages depend on the previous token).
    let clock = ContinuousClock()
    var latencies: [Duration] = []
    var listed = 0
    var token: String?
    let start = clock.now
    repeat {
        var page: ObjectListing?
        let elapsed = try await clock.measure {
            page = try await store.list(prefix: "bench/\(run)/", continuationToken: token, maxKeys: 1000)
        }
        latencies.append(elapsed)
        listed += page?.objects.count ?? 0
        token = page?.continuationToken
    } while token != nil
    let list = Sample(latencies: latencies, wall: clock.now - start)
    guard listed == options.count else { throw BenchError("listed \(listed) of \(options.count)") }
    print("== \(name): \(options.count) objects of \(options.size) B, \(options.concurrency) in flight")
    print(put.line("PUT"))
    print(get.line("GET"))
    print(list.line("LIST", unit: "keys", perOp: listed / max(1, latencies.count)) + " per 1000-key page")
}

let options = try Options(CommandLine.arguments)
let environment = ProcessInfo.processInfo.environment
if let folder = options.folder {
    try await bench(
        "FileStore (\(folder))", store: try makeObjectStore(from: folder, environment: environment), options: options)
}
if let s3 = options.s3 {
    let store = try makeObjectStore(from: s3, environment: environment)
    try await (store as? S3Store)?.createBucketIfNeeded()
    try await bench("S3Store (\(s3.split(separator: "?").first ?? ""), moto)", store: store, options: options)
}
