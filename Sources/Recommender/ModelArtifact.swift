import Crypto
import Foundation

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
    public static func encode(_ model: TrainedModel) -> Data {
        var body = BinaryWriter()
        body.write(algorithmCode(model.configuration.algorithm))
        let hyperparameters = model.configuration.hyperparameters.sorted { $0.key < $1.key }
        body.write(UInt32(hyperparameters.count))
        for (name, value) in hyperparameters {
            body.write(name)
            body.write(value)
        }
        for table in [model.users, model.items] {
            body.write(UInt32(table.count))
            for id in table.ids { body.write(id) }
        }
        let history = model.history
        body.write(UInt32(history.nonZeroCount))
        for user in 0..<history.users.count { body.write(UInt32(history.rowCount(user))) }
        for item in history.userItems { body.write(UInt32(item)) }
        body.write(floats: history.userWeights)
        body.write(floats: model.popularity.counts)
        switch model.fitted {
        case .popularity:
            break
        case .ials(let als):
            let factors = als.configuration.factors
            body.write(UInt32(factors))
            for rows in [als.userFactors, als.itemFactors] {
                for start in stride(from: 0, to: rows.count, by: als.stride) {
                    body.write(floats: rows[start..<(start + factors)])
                }
            }
        case .ease(let ease):
            let n = ease.items.count
            for row in 0..<n { body.write(floats: ease.weights[(row * ease.stride)..<(row * ease.stride + n)]) }
        }
        var file = BinaryWriter()
        file.append(magic)
        file.write(formatVersion)
        file.write(UInt16(0))
        file.write(UInt64(body.bytes.count))
        file.append(body.bytes)
        return Data(sealed(file.bytes))
    }

    /// Reads an artifact, verifying magic, version, length and SHA-256 before trusting any content.
    public static func decode(_ data: Data) throws(ArtifactError) -> TrainedModel {
        let bytes = [UInt8](data)
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
        let content = bytes[0..<(expected - checksumSize)]
        let recorded = Array(bytes[(expected - checksumSize)...])
        let actual = Array(SHA256.hash(data: content))
        guard recorded == actual else { throw .checksumMismatch(expected: hex(recorded), actual: hex(actual)) }
        var reader = BinaryReader(Array(content), position: headerSize)
        let model = try ArtifactBodyDecoder.decode(&reader)
        guard reader.remaining == 0 else { throw .malformed("\(reader.remaining) bytes left after the last section") }
        return model
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
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
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
