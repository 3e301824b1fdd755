import Crypto
import Foundation
import Offload
import Synchronization

/// The versioned binary `model.bin` format: encode a ``TrainedModel`` to bytes and back, checksum verified.
///
/// Layout (all integers and floats little-endian):
/// ```
/// header  magic "\u{89}REMDL\r\n" (8) · format version u16 · reserved u16 · body length u64
/// body    algorithm u8 · hyperparameters (u32 n, then n × (name, f64)) sorted by name
///         user ids · item ids                   (u32 n, then n × (u32 length, UTF-8))
///         history CSR: u32 nnz · u32 row length per user · u32 item per entry · f32 weight per entry
///         popularity f32 × items
///         iALS: u32 factors · f32 users × factors · f32 items × factors   (unpadded, row-major)
///         EASE: f32 items × items                                          (row-major)
/// trailer SHA-256 of header + body (32)
/// ```
/// The PNG-style magic (a high byte, then CR LF) catches text-mode transfers; the length in the header
/// tells a truncated file from a corrupted one.
public enum ModelArtifact {
    /// The format this build writes and reads.
    public static let formatVersion: UInt16 = 1
    static let magic: [UInt8] = [0x89, 0x52, 0x45, 0x4D, 0x44, 0x4C, 0x0D, 0x0A]
    static let headerSize = 20
    static let checksumSize = 32

    /// Serialises `model`; the same model always gives the same bytes.
    ///
    /// Linear in the model's size: the buffer is sized once up front and number arrays are bulk-copied.
    public static func encode(_ model: TrainedModel) -> Data {
        var file = BinaryWriter(capacity: estimatedSize(model))
        file.append(magic)
        file.write(formatVersion)
        file.write(UInt16(0))
        let lengthOffset = file.count
        file.write(UInt64(0))  // body length, patched below
        file.write(algorithmCode(model.configuration.algorithm))
        let hyperparameters = model.configuration.hyperparameters.sorted { $0.key < $1.key }
        file.write(UInt32(hyperparameters.count))
        for (name, value) in hyperparameters {
            file.write(name)
            file.write(value)
        }
        for table in [model.users, model.items] {
            file.write(UInt32(table.count))
            for id in table.ids { file.write(id) }
        }
        let history = model.history
        file.write(UInt32(history.nonZeroCount))
        file.write(uint32s: (0..<history.users.count).map { UInt32(history.rowCount($0)) })
        file.write(uint32s: history.userItems.map { UInt32(bitPattern: $0) })
        file.write(floats: history.userWeights)
        file.write(floats: model.popularity.counts)
        switch model.fitted {
        case .popularity:
            break
        case .ials(let als):
            let factors = als.configuration.factors
            file.write(UInt32(factors))
            for rows in [als.userFactors, als.itemFactors] {
                if als.stride == factors {
                    file.write(floats: rows)
                } else {
                    for start in stride(from: 0, to: rows.count, by: als.stride) {
                        file.write(floats: rows[start..<(start + factors)])
                    }
                }
            }
        case .ease(let ease):
            let n = ease.items.count
            for row in 0..<n { file.write(floats: ease.weights[(row * ease.stride)..<(row * ease.stride + n)]) }
        }
        file.overwrite(UInt64(file.count - headerSize), at: lengthOffset)
        // Appended through the writer, which holds the only reference to the buffer: no copy-on-write.
        let digest = Array(SHA256.hash(data: file.bytes))
        file.append(digest)
        return file.bytes
    }

    /// The encoded size, computed exactly so the buffer is allocated once.
    static func estimatedSize(_ model: TrainedModel) -> Int {
        var size = headerSize + 1 + 4 + 4 + 4 + 4 + checksumSize  // code, four counts
        for name in model.configuration.hyperparameters.keys { size += 4 + name.utf8.count + 8 }
        for id in model.users.ids { size += 4 + id.utf8.count }
        for id in model.items.ids { size += 4 + id.utf8.count }
        size += 4 * model.users.count + 8 * model.history.nonZeroCount + 4 * model.items.count
        switch model.fitted {
        case .popularity: break
        case .ials(let als): size += 4 + 4 * als.configuration.factors * (model.users.count + model.items.count)
        case .ease: size += 4 * model.items.count * model.items.count
        }
        return size
    }

    /// Reads an artifact, verifying magic, version, length and SHA-256 before trusting any content.
    public static func decode(_ data: Data) throws(ArtifactError) -> TrainedModel {
        try decode(data, fileSHA256: nil)
    }

    /// Reads an artifact whose whole-file SHA-256 must also be `fileSHA256` (the registry's record), when given.
    ///
    /// One pass of SHA-256 over the bytes checks both the trailer and the whole-file digest (the hasher state is
    /// forked after the content), and both are checked before any content is decoded. `data` may be a
    /// memory-mapped file: it is read in place, never copied whole.
    public static func decode(_ data: Data, fileSHA256: String?) throws(ArtifactError) -> TrainedModel {
        let result = data.withUnsafeBytes { raw in
            Result { () throws(ArtifactError) -> TrainedModel in try decode(raw, fileSHA256: fileSHA256) }
        }
        return try result.get()
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, fileSHA256: String?) throws(ArtifactError) -> TrainedModel {
        guard bytes.starts(with: magic.prefix(min(bytes.count, magic.count))) else { throw .notAModel }
        guard bytes.count >= headerSize else {
            throw .truncated(expectedBytes: headerSize + checksumSize, actualBytes: bytes.count)
        }
        var header = BinaryReader(bytes, position: magic.count)
        let version = try header.read(UInt16.self, "format version")
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        _ = try header.read(UInt16.self, "reserved")
        let bodyLength = try header.read(UInt64.self, "body length")
        guard bodyLength <= UInt64(Int.max / 2) else { throw .malformed("body length \(bodyLength) is implausible") }
        let expected = headerSize + Int(bodyLength) + checksumSize
        guard bytes.count >= expected else { throw .truncated(expectedBytes: expected, actualBytes: bytes.count) }
        guard bytes.count == expected else {
            throw .malformed("\(bytes.count - expected) unexpected bytes after the checksum")
        }
        let contentLength = expected - checksumSize
        // Hashing and decoding run side by side when the CPU pool has a thread free (a 1M-rider artifact: 0.3 s
        // each on one core), one after the other on this thread when it has not. Decoding unverified
        // bytes is safe, as every structure is checked anyway; the model is returned only once both digests match,
        // and a digest mismatch is the error reported even when decoding also failed.
        nonisolated(unsafe) let shared = bytes
        let outcome = DecodeOutcome()
        Offload.cpu.forEach(chunks: 2, workers: 2) { task in
            do throws(ArtifactError) {
                if task == 0 {
                    try verifyDigests(shared, contentLength: contentLength, fileSHA256: fileSHA256)
                } else {
                    var reader = BinaryReader(
                        UnsafeRawBufferPointer(rebasing: shared[0..<contentLength]), position: headerSize)
                    let model = try ArtifactBodyDecoder.decode(&reader)
                    guard reader.remaining == 0 else {
                        throw .malformed("\(reader.remaining) bytes left after the last section")
                    }
                    outcome.model.withLock { $0 = model }
                }
            } catch {
                outcome.errors.withLock { $0[task] = error }
            }
        }
        // The digest's verdict first: a corrupted file is reported as such even when decoding also failed.
        let errors = outcome.errors.withLock { $0 }
        if let error = errors[0] ?? errors[1] { throw error }
        guard let model = outcome.model.withLock({ $0 }) else { throw .malformed("the body was not decoded") }
        return model
    }

    /// What the two halves of ``decode(_:fileSHA256:)`` leave behind. Plain fields rather than `Result`s: each
    /// generic type first used at start-up costs a scan of the runtime's conformance tables (milliseconds in a
    /// statically linked binary).
    private final class DecodeOutcome: Sendable {
        let model = Mutex<TrainedModel?>(nil)
        let errors = Mutex<[ArtifactError?]>([nil, nil])
    }

    /// Checks the trailer and, when given, the whole-file digest, in one SHA-256 pass (the hasher is forked after
    /// the content).
    private static func verifyDigests(
        _ bytes: UnsafeRawBufferPointer, contentLength: Int, fileSHA256: String?
    ) throws(ArtifactError) {
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[0..<contentLength]))
        var whole = hasher
        let recorded = Array(bytes[contentLength...])
        let actual = Array(hasher.finalize())
        guard recorded == actual else { throw .checksumMismatch(expected: hex(recorded), actual: hex(actual)) }
        if let fileSHA256 {
            whole.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[contentLength...]))
            let digest = hex(Array(whole.finalize()))
            guard digest == fileSHA256.lowercased() else {
                throw .checksumMismatch(expected: fileSHA256, actual: digest)
            }
        }
    }

    /// Lower-case hex SHA-256 of a whole artifact file, for the registry metadata.
    public static func sha256Hex(_ data: Data) -> String {
        hex(Array(SHA256.hash(data: data)))
    }

    /// `content` followed by its SHA-256 trailer.
    static func sealed(_ content: [UInt8]) -> [UInt8] {
        content + Array(SHA256.hash(data: content))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(2 * bytes.count)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func algorithmCode(_ algorithm: Algorithm) -> UInt8 {
        switch algorithm {
        case .popularity: 0
        case .ials: 1
        case .ease: 2
        }
    }
}

extension TrainedModel {
    /// The `model.bin` bytes of this model (see ``ModelArtifact``).
    public func artifactData() -> Data { ModelArtifact.encode(self) }

    /// Loads a model from `model.bin` bytes, verifying its checksum.
    public init(artifact data: Data) throws(ArtifactError) { self = try ModelArtifact.decode(data) }
}
