import Foundation
import Synchronization

/// The operating system's cryptographically secure random numbers, fetched 4 KiB at a time.
///
/// Request ids are what `GET /traces/{requestId}` is keyed by, and traces name riders, so their random bits must
/// stay unpredictable: these come from the kernel's generator, never from a seeded one. `SystemRandomNumberGenerator`
/// makes one `getrandom(2)` call per word, two per request id; the pool reads `/dev/urandom` once per 256 ids.
public struct PooledSystemRandom: RandomNumberGenerator {
    private static let pool = Mutex(WordPool())

    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }
}

private struct WordPool: ~Copyable {
    private var words = [UInt64](repeating: 0, count: 512)
    private var used = 512

    mutating func next() -> UInt64 {
        if used == words.count {
            refill()
            used = 0
        }
        defer { used += 1 }
        return words[used]
    }

    private mutating func refill() {
        let byteCount = words.count * MemoryLayout<UInt64>.size
        let file = FileHandle(forReadingAtPath: "/dev/urandom")
        defer { try? file?.close() }
        if let data = try? file?.read(upToCount: byteCount), data.count == byteCount {
            words.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
        } else {
            // No /dev/urandom (an unusual sandbox): the standard generator is just as secure, one call per word.
            var system = SystemRandomNumberGenerator()
            for index in words.indices { words[index] = system.next() }
        }
    }
}
