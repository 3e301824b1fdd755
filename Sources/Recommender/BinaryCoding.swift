/// Appends little-endian primitives to a byte buffer (the artifact is byte-order independent).
struct BinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Float) { write(value.bitPattern) }
    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ string: String) {
        let utf8 = Array(string.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func write(floats: some Collection<Float>) {
        bytes.reserveCapacity(bytes.count + 4 * floats.count)
        for value in floats { write(value.bitPattern) }
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Reads what ``BinaryWriter`` wrote, checking every length against the bytes left so a forged count
/// becomes ``ArtifactError/malformed(_:)`` instead of a crash or a huge allocation.
struct BinaryReader {
    private let bytes: [UInt8]
    private(set) var position: Int

    init(_ bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    private mutating func take(_ count: Int, _ what: String) throws(ArtifactError) -> Range<Int> {
        guard count >= 0, count <= remaining else {
            throw .malformed("\(what) needs \(count) bytes, \(remaining) left at offset \(position)")
        }
        defer { position += count }
        return position..<(position + count)
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws(ArtifactError) -> T {
        let range = try take(MemoryLayout<T>.size, what)
        var value: T = 0
        for (shift, byte) in bytes[range].enumerated() { value |= T(truncatingIfNeeded: byte) << (8 * shift) }
        return value
    }

    mutating func readDouble(_ what: String) throws(ArtifactError) -> Double {
        Double(bitPattern: try read(UInt64.self, what))
    }

    mutating func readCount(_ what: String, elementSize: Int) throws(ArtifactError) -> Int {
        let count = Int(try read(UInt32.self, what))
        guard count * elementSize <= remaining else {
            throw .malformed("\(what) claims \(count) entries, only \(remaining) bytes left")
        }
        return count
    }

    mutating func readString(_ what: String) throws(ArtifactError) -> String {
        let count = try readCount(what, elementSize: 1)
        let range = try take(count, what)
        guard let string = String(validating: bytes[range], as: UTF8.self) else {
            throw .malformed("\(what) is not valid UTF-8")
        }
        return string
    }

    mutating func readFloats(_ count: Int, _ what: String) throws(ArtifactError) -> [Float] {
        let range = try take(4 * count, what)
        return bytes[range].withUnsafeBytes { raw in
            (0..<count).map {
                Float(
                    bitPattern: UInt32(
                        littleEndian: raw.loadUnaligned(
                            fromByteOffset: 4 * $0,
                            as: UInt32.self)))
            }
        }
    }

    mutating func readUInt32s(_ count: Int, _ what: String) throws(ArtifactError) -> [UInt32] {
        let range = try take(4 * count, what)
        return bytes[range].withUnsafeBytes { raw in
            (0..<count).map { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        }
    }
}
