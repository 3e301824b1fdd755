/// Rules for object keys, shared by every backend so that a key valid in a folder is valid in a bucket too.
///
/// A key is a `/`-separated relative path: non-empty segments, none of them `.` or `..`, no leading `/`, no
/// backslash, no control characters (NUL included), at most ``maxLength`` UTF-8 bytes. These rules are what keeps
/// ``FileStore`` from ever touching a path outside its root, and S3 keys portable to a file system.
public enum ObjectKey {
    /// S3 allows 1024 bytes; staying under it leaves room for a store's key prefix.
    public static let maxLength = 900
    /// Most file systems refuse longer file names (ext4, APFS: 255 bytes).
    public static let maxSegmentLength = 255

    /// Throws ``StorageError/invalidKey(_:reason:)`` unless `key` is a valid object key.
    public static func validate(_ key: String) throws(StorageError) {
        if key.isEmpty { throw .invalidKey(key, reason: "a key must not be empty") }
        if key.utf8.count > maxLength {
            throw .invalidKey(key, reason: "a key is at most \(maxLength) bytes long, this one is \(key.utf8.count)")
        }
        if key.hasPrefix("/") { throw .invalidKey(key, reason: "a key must be relative (no leading \"/\")") }
        try validateCharacters(key)
        for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
            try validateSegment(segment, in: key)
        }
    }

    /// Throws unless `prefix` can begin a key: like a key, but may be empty and may end with `/`.
    public static func validatePrefix(_ prefix: String) throws(StorageError) {
        if prefix.isEmpty { return }
        if prefix.utf8.count > maxLength {
            throw .invalidKey(prefix, reason: "a prefix is at most \(maxLength) bytes long")
        }
        if prefix.hasPrefix("/") { throw .invalidKey(prefix, reason: "a prefix must be relative (no leading \"/\")") }
        try validateCharacters(prefix)
        var segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
        // "a/b/" lists everything under a/b; the last, possibly partial, segment ("a/b/ev") may be anything valid.
        if prefix.hasSuffix("/") { segments.removeLast() }
        for (index, segment) in segments.enumerated() {
            let isLastPartial = index == segments.count - 1 && !prefix.hasSuffix("/")
            if isLastPartial && (segment == "." || segment == "..") { continue }
            try validateSegment(segment, in: prefix)
        }
    }

    private static func validateCharacters(_ key: String) throws(StorageError) {
        for scalar in key.unicodeScalars {
            if scalar.value == 0 { throw .invalidKey(key, reason: "a key must not contain NUL") }
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                throw .invalidKey(key, reason: "a key must not contain control characters")
            }
            if scalar == "\\" {
                throw .invalidKey(key, reason: "a key must not contain \"\\\" (it is a path separator on Windows)")
            }
        }
    }

    private static func validateSegment(_ segment: Substring, in key: String) throws(StorageError) {
        if segment.isEmpty {
            throw .invalidKey(key, reason: "a key must not contain empty segments (\"//\" or a trailing \"/\")")
        }
        if segment == "." || segment == ".." {
            throw .invalidKey(key, reason: "a key must not contain \".\" or \"..\" segments")
        }
        if segment.utf8.count > maxSegmentLength {
            throw .invalidKey(key, reason: "a key segment is at most \(maxSegmentLength) bytes long")
        }
    }
}
