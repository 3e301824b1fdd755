import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a whole regular file read-only into memory as `Data` that unmaps itself when released.
///
/// Loading a model reads every byte once (hash, then decode into its own arrays): mapping skips the copy into a
/// heap buffer that `read` would make, and the pages are the page cache's own. Objects are replaced by rename,
/// never rewritten in place, so a mapping always shows one complete version.
enum MappedFile {
    /// The file's bytes, or `nil` when there is no regular file at `path`.
    static func map(_ path: String) throws(StorageError) -> Data? {
        guard let (fd, size) = try POSIXFile.openRegularFile(path) else { return nil }
        defer { _ = close(fd) }
        guard size > 0 else { return Data() }
        #if os(Linux)
        // Every page is about to be read: fault them all in with one call instead of one fault per page.
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let address = mmap(nil, size, PROT_READ, flags, fd, 0), address != MAP_FAILED else {
            throw .io(path: path, operation: "mmap", errno: errno)
        }
        return Data(
            bytesNoCopy: address, count: size, deallocator: .custom { pointer, count in _ = munmap(pointer, count) })
    }
}
