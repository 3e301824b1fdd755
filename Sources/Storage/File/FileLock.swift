import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Advisory locks that make a ``FileStore``'s check-then-rename atomic across every process sharing the folder.
///
/// Keys hash onto a fixed set of lock files (`<root>/.rideease-locks/00` … `ff`) so unrelated keys rarely
/// contend and the number of lock files stays bounded however many keys are written. `flock(2)` locks belong to
/// an open file description, so each acquisition opens the lock file afresh: two tasks of one process then
/// exclude each other exactly as two processes do. A lock is released by the kernel when its holder dies, so a
/// crashed emulator never wedges the others.
struct FileLockSet: Sendable {
    static let directoryName = ".rideease-locks"
    let directory: String

    init(root: String) {
        self.directory = root + "/" + Self.directoryName
    }

    func prepare() throws(StorageError) {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw .io(path: directory, operation: "mkdir", errno: errno)
        }
    }

    private func lockPath(for key: String) -> String {
        // FNV-1a: stable across processes and runs, unlike `hashValue`, and every process must agree on it.
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        let stripe = UInt8(truncatingIfNeeded: hash ^ (hash >> 8) ^ (hash >> 16) ^ (hash >> 24))
        let name = String(stripe, radix: 16)
        return directory + "/" + (name.count == 1 ? "0" + name : name)
    }

    /// Runs `body` while holding the lock for `key`.
    ///
    /// Waiting never blocks a thread: the lock is tried without blocking and, while another holder has it, the
    /// task sleeps for a short, growing interval. Only `body` itself (a few syscalls) runs with the lock held.
    func withLock<T>(for key: String, _ body: () throws(StorageError) -> T) async throws -> T {
        let path = lockPath(for: key)
        let fd = POSIXFile.openFile(path, O_RDWR | O_CREAT)
        if fd == -1 { throw StorageError.io(path: path, operation: "open lock", errno: errno) }
        defer { _ = close(fd) }
        var delay: UInt64 = 20_000  // nanoseconds
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { break }
            let code = errno
            guard code == EWOULDBLOCK || code == EAGAIN || code == EINTR else {
                throw StorageError.io(path: path, operation: "flock", errno: code)
            }
            try await Task.sleep(nanoseconds: UInt64.random(in: delay / 2...delay))
            delay = min(delay * 2, 2_000_000)
        }
        defer { _ = flock(fd, LOCK_UN) }
        return try body()
    }
}
