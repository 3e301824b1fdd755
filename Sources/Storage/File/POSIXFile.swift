import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls ``FileStore`` needs (Foundation's `FileManager` cannot fsync a
/// folder, open without following symlinks, or take an advisory lock).
///
/// All of these block the calling thread for the duration of one syscall; see ``FileStore`` for why that is
/// acceptable.
enum POSIXFile {
    /// Retries a syscall interrupted by a signal, which is not a failure.
    static func retryingEINTR(_ body: () -> Int32) -> Int32 {
        while true {
            let result = body()
            if result == -1 && errno == EINTR { continue }
            return result
        }
    }

    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644) -> Int32 {
        retryingEINTR { open(path, flags | O_CLOEXEC, mode) }
    }

    /// Opens the regular file at `path` read-only (never through a symlink) with its size, or returns `nil` when
    /// there is none (or a folder is there). The caller closes the descriptor.
    static func openRegularFile(_ path: String) throws(StorageError) -> (fd: Int32, size: Int)? {
        let fd = openFile(path, O_RDONLY | O_NOFOLLOW)
        if fd == -1 {
            let code = errno
            if code == ENOENT || code == ENOTDIR || code == ELOOP { return nil }
            throw .io(path: path, operation: "open", errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            _ = close(fd)
            throw .io(path: path, operation: "fstat", errno: code)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            _ = close(fd)
            return nil
        }
        return (fd, Int(info.st_size))
    }

    /// Reads the whole regular file at `path`, or returns `nil` when there is none (or a folder is there).
    static func readFile(_ path: String) throws(StorageError) -> Data? {
        guard let (fd, size) = try openRegularFile(path) else { return nil }
        defer { _ = close(fd) }
        var data = Data(count: size)
        var offset = 0
        while true {
            if offset == data.count {
                // The file may have grown since fstat (it should not: objects are replaced by rename, never
                // rewritten in place); keep reading until EOF to be safe.
                data.count += max(4096, data.count / 2)
            }
            let readCount = data.withUnsafeMutableBytes { buffer -> Int in
                let base = buffer.baseAddress!.advanced(by: offset)
                while true {
                    let n = read(fd, base, buffer.count - offset)
                    if n == -1 && errno == EINTR { continue }
                    return n
                }
            }
            if readCount < 0 { throw .io(path: path, operation: "read", errno: errno) }
            if readCount == 0 { break }
            offset += readCount
        }
        data.count = offset
        return data
    }

    /// Reads up to `buffer.count` bytes from the current position of `fd`; 0 at end of file.
    static func readChunk(_ fd: Int32, into buffer: inout Data, path: String) throws(StorageError) -> Int {
        let count = buffer.withUnsafeMutableBytes { raw -> Int in
            while true {
                let n = read(fd, raw.baseAddress!, raw.count)
                if n == -1 && errno == EINTR { continue }
                return n
            }
        }
        if count < 0 { throw .io(path: path, operation: "read", errno: errno) }
        return count
    }

    /// The next `count` bytes of `fd`; fails if the file ends first (it shrank while being read).
    static func readExactly(_ fd: Int32, count: Int, path: String) throws(StorageError) -> Data {
        var data = Data(count: count)
        var filled = 0
        let failure: Int32? = data.withUnsafeMutableBytes { raw -> Int32? in
            while filled < count {
                let n = read(fd, raw.baseAddress!.advanced(by: filled), count - filled)
                if n == -1 && errno == EINTR { continue }
                if n == -1 { return errno }
                if n == 0 { return EIO }
                filled += n
            }
            return nil
        }
        if let failure { throw .io(path: path, operation: "read", errno: failure) }
        return data
    }

    /// Writes all of `data` to `fd`.
    static func writeAll(_ fd: Int32, _ data: Data, path: String) throws(StorageError) {
        var offset = 0
        let count = data.count
        let failure: Int32? = data.withUnsafeBytes { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            while offset < count {
                let n = write(fd, base.advanced(by: offset), count - offset)
                if n == -1 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let failure { throw .io(path: path, operation: "write", errno: failure) }
    }

    static func syncFile(_ fd: Int32, path: String) throws(StorageError) {
        if retryingEINTR({ fsync(fd) }) != 0 {
            throw .io(path: path, operation: "fsync", errno: errno)
        }
    }

    /// Makes a rename or unlink in `directory` durable.
    static func fsyncDirectory(_ directory: String) throws(StorageError) {
        let fd = openFile(directory, O_RDONLY | O_DIRECTORY)
        if fd == -1 { throw .io(path: directory, operation: "open folder", errno: errno) }
        defer { _ = close(fd) }
        try syncFile(fd, path: directory)
    }

    /// `mkdir -p`, refusing to go through anything that is not a real folder.
    static func makeDirectories(_ path: String, below root: String) throws(StorageError) {
        var current = root
        let relative = path.dropFirst(root.count).split(separator: "/")
        for component in relative {
            current += "/" + component
            if mkdir(current, 0o755) == 0 { continue }
            let code = errno
            guard code == EEXIST else { throw .io(path: current, operation: "mkdir", errno: code) }
            var info = stat()
            guard lstat(current, &info) == 0 else { throw .io(path: current, operation: "lstat", errno: errno) }
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw .io(path: current, operation: "mkdir (a file or link is in the way)", errno: ENOTDIR)
            }
        }
    }

    /// The type of what is at `path` without following a final symlink, or `nil` when nothing is there.
    static func fileType(_ path: String) throws(StorageError) -> mode_t? {
        var info = stat()
        if lstat(path, &info) != 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw .io(path: path, operation: "lstat", errno: code)
        }
        return info.st_mode & S_IFMT
    }
}
