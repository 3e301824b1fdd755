import Foundation

/// Appends little-endian primitives to a byte buffer (the artifact is byte-order independent).
///
/// Arrays of numbers are appended as one bulk copy of their storage (on little-endian hosts, which is every
/// platform RideEase runs on), and the buffer grows geometrically: a 50k-rider model encodes in tens of
/// milliseconds. An exact-size `reserveCapacity` per row, as an earlier version did, reallocates and copies the
/// whole buffer every time and made encoding quadratic (24 s for 50k riders).
struct BinaryWriter {
    /// `Data` rather than an array: the finished artifact is handed over without another copy (322 MB at 1M riders).
    private(set) var bytes = Data()

    /// Starts an empty buffer with room for `capacity` bytes (an estimate; it grows past it if needed).
    init(capacity: Int = 0) {
        bytes = Data(capacity: capacity)
    }

    var count: Int { bytes.count }

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Float) { write(value.bitPattern) }
    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func write(floats: some Collection<Float>) {
        if appendBulk(floats) { return }
        for value in floats { write(value.bitPattern) }
    }

    mutating func write(uint32s: some Collection<UInt32>) {
        if appendBulk(uint32s) { return }
        for value in uint32s { write(value) }
    }

    /// Replaces the bytes at `offset` with `value` (for a length only known once the body is written).
    mutating func overwrite<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            bytes.replaceSubrange(offset..<(offset + raw.count), with: raw)
        }
    }

    mutating func append(_ other: some Collection<UInt8>) { bytes.append(contentsOf: other) }

    /// Appends the raw storage of a contiguous collection of numbers in one copy; `false` when the host is
    /// big-endian or the collection is not contiguous, so the caller writes value by value.
    private mutating func appendBulk<C: Collection>(_ values: C) -> Bool where C.Element: BitwiseCopyable {
        #if _endian(little)
        return values.withContiguousStorageIfAvailable { buffer in
            bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))
        } != nil
        #else
        return false
        #endif
    }
}

/// Reads what ``BinaryWriter`` wrote from borrowed bytes, checking every length against the bytes left so a forged
/// count becomes ``ArtifactError/malformed(_:)`` instead of a crash or a huge allocation.
///
/// The bytes are borrowed (`Data.withUnsafeBytes`, possibly a memory-mapped file), never copied whole; arrays of
/// numbers are read with one bulk copy each.
struct BinaryReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    /// Reads `bytes`, which must stay valid while this reader is used.
    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    private mutating func take(_ count: Int, _ what: String) throws(ArtifactError) -> Int {
        guard count >= 0, count <= remaining else {
            throw .malformed("\(what) needs \(count) bytes, \(remaining) left at offset \(position)")
        }
        defer { position += count }
        return position
    }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws(ArtifactError) -> T {
        let offset = try take(MemoryLayout<T>.size, what)
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
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
        let offset = try take(count, what)
        let utf8 = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]).assumingMemoryBound(
            to: UInt8.self)
        guard let string = String(validating: utf8, as: UTF8.self) else {
            throw .malformed("\(what) is not valid UTF-8")
        }
        return string
    }

    mutating func readFloats(_ count: Int, _ what: String) throws(ArtifactError) -> [Float] {
        try readPadded(rows: 1, columns: count, stride: count, what)
    }

    mutating func readUInt32s(_ count: Int, _ what: String) throws(ArtifactError) -> [UInt32] {
        let offset = try take(4 * count, what)
        return [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            copy(from: offset, count: count, into: UnsafeMutableRawPointer(buffer.baseAddress))
            #if _endian(big)
            for index in 0..<count { buffer[index] = UInt32(littleEndian: buffer[index]) }
            #endif
            initialized = count
        }
    }

    /// `rows × columns` floats stored densely, returned with each row padded with zeros to `stride` (the layout
    /// the scoring kernels want); one bulk copy per row.
    mutating func readPadded(rows: Int, columns: Int, stride: Int, _ what: String) throws(ArtifactError) -> [Float] {
        precondition(stride >= columns)
        let (total, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, total <= remaining / 4 else { throw .malformed("\(what) is cut short") }
        let offset = try take(4 * total, what)
        return [Float](unsafeUninitializedCapacity: rows * stride) { buffer, initialized in
            let base = UnsafeMutableRawPointer(buffer.baseAddress)
            if stride == columns {
                copy(from: offset, count: total, into: base)
            } else {
                for row in 0..<rows {
                    copy(from: offset + 4 * row * columns, count: columns, into: base?.advanced(by: 4 * row * stride))
                    let padding = buffer.baseAddress!.advanced(by: row * stride + columns)
                    padding.initialize(repeating: 0, count: stride - columns)
                }
            }
            #if _endian(big)
            for index in 0..<(rows * stride) {
                buffer[index] = Float(bitPattern: UInt32(littleEndian: buffer[index].bitPattern))
            }
            #endif
            initialized = rows * stride
        }
    }

    /// Copies `count` 4-byte values starting at byte `offset` (already bounds-checked by ``take(_:_:)``).
    private func copy(from offset: Int, count: Int, into destination: UnsafeMutableRawPointer?) {
        guard count > 0, let destination, let source = bytes.baseAddress else { return }
        destination.copyMemory(from: source.advanced(by: offset), byteCount: 4 * count)
    }
}
