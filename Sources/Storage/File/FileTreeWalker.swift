import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the keys of a ``FileStore`` that start with a prefix and sort after a continuation token.
///
/// Only regular files are objects; symlinks are never followed (so a listing never leaves the root), and
/// entries named `.rideease-*` (temporary files, the lock folder) are skipped. Keys are returned in UTF-8 byte
/// order, as S3 lists them, which is not the order a directory walk produces (`a/b` sorts after `a.txt`), so the
/// matching keys are collected and sorted. Folders whose keys all sort before the token are not entered.
struct FileTreeWalker {
    static let reservedPrefix = ".rideease-"
    let root: String
    let prefix: String
    let after: String?

    func keys() throws(StorageError) -> [String] {
        // Start in the deepest folder the prefix names completely: "events/2025/0" walks "events/2025/".
        let directoryPart: String
        if let slash = prefix.lastIndex(of: "/") {
            directoryPart = String(prefix[...slash])
        } else {
            directoryPart = ""
        }
        var found: [[UInt8]] = []
        try walk(relative: directoryPart, into: &found)
        let token = after.map { Array($0.utf8) }
        var result = found.filter { key in token.map { $0.lexicographicallyPrecedes(key) } ?? true }
        result.sort { $0.lexicographicallyPrecedes($1) }
        return result.map { String(decoding: $0, as: UTF8.self) }
    }

    private func walk(relative: String, into found: inout [[UInt8]]) throws(StorageError) {
        let path = relative.isEmpty ? root : root + "/" + relative.dropLast()
        guard let directory = opendir(path) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return }
            throw .io(path: path, operation: "opendir", errno: code)
        }
        defer { closedir(directory) }
        let prefixBytes = Array(prefix.utf8)
        let tokenBytes = after.map { Array($0.utf8) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || name.hasPrefix(Self.reservedPrefix) { continue }
            let key = relative + name
            let keyBytes = Array(key.utf8)
            let type = try POSIXFile.fileType(root + "/" + key)
            if type == S_IFREG {
                if keyBytes.starts(with: prefixBytes) { found.append(keyBytes) }
            } else if type == S_IFDIR {
                let folder = keyBytes + [UInt8(ascii: "/")]
                // Enter only folders that can hold matching keys: the prefix and the folder must agree.
                guard folder.starts(with: prefixBytes) || prefixBytes.starts(with: folder) else { continue }
                if let tokenBytes, folder.lexicographicallyPrecedes(tokenBytes), !tokenBytes.starts(with: folder) {
                    continue  // every key in here sorts before the token
                }
                try walk(relative: key + "/", into: &found)
            }
        }
    }
}
