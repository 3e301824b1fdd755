import Foundation

/// The bytes of an import file in bounded chunks, decompressed on the fly when the file is gzip.
///
/// gzip is recognised by its magic bytes (1f 8b), not the name, and inflated by the system's `gzip -dc` through a
/// pipe: the Swift toolchain ships no zlib module, and linking one needs its headers at build time, while `gzip`
/// is present on every Linux image (Debian marks it essential) and on macOS. The pipe keeps memory at one chunk.
final class ByteChunkSource {
    /// Bytes handed out per read.
    static let chunkSize = 1 << 20

    private let handle: FileHandle
    private let gunzip: Process?
    private let gunzipErrors: Pipe?
    /// Whether the file was gzip-compressed.
    let isCompressed: Bool
    private var peeked: [UInt8]?

    /// Opens `path`; throws ``EventImportError`` when it is missing or unreadable.
    init(path: String) throws(EventImportError) {
        guard let file = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw EventImportError(exists ? "\(path) cannot be read" : "\(path) does not exist")
        }
        let magic = (try? file.read(upToCount: 2)) ?? Data()
        isCompressed = magic == Data([0x1F, 0x8B])
        guard isCompressed else {
            try? file.seek(toOffset: 0)
            handle = file
            gunzip = nil
            gunzipErrors = nil
            return
        }
        try? file.close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", "--", path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw EventImportError("\(path) is gzip-compressed and gzip could not be started: \(error)")
        }
        handle = output.fileHandleForReading
        gunzip = process
        gunzipErrors = errors
    }

    deinit {
        if let gunzip, gunzip.isRunning { gunzip.terminate() }
    }

    /// The first chunk, without consuming it: ``next()`` returns it again.
    func peek() throws(EventImportError) -> [UInt8]? {
        if peeked == nil { peeked = try next() }
        return peeked
    }

    /// The next chunk, or `nil` at the end of the (decompressed) data.
    func next() throws(EventImportError) -> [UInt8]? {
        if let chunk = peeked {
            peeked = nil
            return chunk
        }
        let data: Data?
        do {
            data = try handle.read(upToCount: Self.chunkSize)
        } catch {
            throw EventImportError("reading failed: \(error)")
        }
        if let data, !data.isEmpty { return [UInt8](data) }
        try finish()
        return nil
    }

    /// Waits for `gzip` and reports a corrupt or truncated archive.
    private func finish() throws(EventImportError) {
        guard let gunzip else { return }
        gunzip.waitUntilExit()
        guard gunzip.terminationStatus == 0 else {
            let message = gunzipErrors.map {
                String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            }
            throw EventImportError(
                "gzip could not decompress the file: "
                    + (message ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}

/// Why a whole import failed (as opposed to single rows refused, which are counted and reported by reason).
public struct EventImportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, naming the file or the header.
    public var description: String

    init(_ description: String) { self.description = description }
}
