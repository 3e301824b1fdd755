import Foundation

/// Unbuffered, line-atomic writes (stdout is block-buffered when it is not a TTY, so `print` would lag).
enum StandardOutput {
    private static let lock = NSLock()

    static func write(_ text: String, toStandardError: Bool = false) {
        lock.withLock {
            (toStandardError ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
        }
    }
}
