/// Splits a byte stream into records of fields: CSV per RFC 4180, TSV, MovieLens' `::` rows, or plain lines.
///
/// RFC 4180: a field in double quotes may hold separators, line breaks and `""` (one quote); records end at LF,
/// CRLF or a lone CR; the last record needs no final line break. A UTF-8 byte-order mark at the start is skipped.
/// Lenient where real exports are sloppy: text after a closing quote is kept (`"a"b` is `ab`), blank lines are
/// skipped. Memory stays at one chunk plus one record: a field beyond ``maximumFieldBytes`` (an unclosed quote
/// swallowing the file) is cut and the record flagged instead of growing.
struct DelimitedRecordReader {
    /// How fields are separated.
    enum Separator: Equatable {
        /// One byte: `,` or tab.
        case byte(UInt8)
        /// MovieLens 1M's `::`.
        case doubleColon
        /// No separator: each line is one field (JSON Lines).
        case none
    }

    /// One record and where it starts.
    struct Record {
        /// The 1-based line the record starts on.
        var line: Int
        var fields: [String]
        /// Why the record cannot be trusted (an unclosed quote, an oversized field), if so.
        var problem: String?
    }

    static let maximumFieldBytes = 1 << 16

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private let source: ByteChunkSource
    private let separator: Separator
    private let quoting: Bool
    private var chunk: [UInt8] = []
    private var position = 0
    private var atStart = true
    private var finished = false
    private var line = 1
    private var skipLineFeed = false

    init(source: ByteChunkSource, separator: Separator) {
        self.source = source
        self.separator = separator
        quoting = separator != .none
    }

    /// The next non-blank record, or `nil` at the end of the input.
    mutating func next() throws(EventImportError) -> Record? {
        while true {
            guard let record = try nextRaw() else { return nil }
            if record.fields.count == 1 && record.fields[0].isEmpty && record.problem == nil { continue }
            return record
        }
    }

    private mutating func nextByte() throws(EventImportError) -> UInt8? {
        if position == chunk.count {
            guard !finished, let next = try source.next() else {
                finished = true
                return nil
            }
            chunk = next
            position = 0
            if atStart {
                atStart = false
                if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
            }
            if position == chunk.count { return try nextByte() }
        }
        defer { position += 1 }
        return chunk[position]
    }

    private mutating func nextRaw() throws(EventImportError) -> Record? {
        var state = State.fieldStart
        var fields: [String] = []
        var field: [UInt8] = []
        var problem: String?
        var pendingColon = false
        let startLine = line
        var sawAnything = false

        func append(_ byte: UInt8) {
            if field.count < Self.maximumFieldBytes {
                field.append(byte)
            } else if problem == nil {
                problem = "a field is longer than \(Self.maximumFieldBytes) bytes (an unclosed quote?)"
            }
        }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }

        while let byte = try nextByte() {
            if skipLineFeed {
                skipLineFeed = false
                if byte == 0x0A { continue }
            }
            sawAnything = true
            if state == .quoteInQuoted {
                if byte == UInt8(ascii: "\"") {
                    append(byte)
                    state = .quoted
                    continue
                }
                state = .unquoted
            }
            if state == .quoted {
                if byte == UInt8(ascii: "\"") {
                    state = .quoteInQuoted
                } else {
                    if byte == 0x0A { line += 1 }
                    append(byte)
                }
                continue
            }
            if pendingColon {
                pendingColon = false
                if byte == UInt8(ascii: ":") {
                    endField()
                    state = .fieldStart
                    continue
                }
                append(UInt8(ascii: ":"))
            }
            switch byte {
            case 0x0A, 0x0D:
                line += 1
                skipLineFeed = byte == 0x0D
                endField()
                return Record(line: startLine, fields: fields, problem: problem)
            case UInt8(ascii: "\"") where quoting && state == .fieldStart:
                state = .quoted
            case UInt8(ascii: ":") where separator == .doubleColon:
                pendingColon = true
                state = .unquoted
            case let separatorByte where separator == .byte(separatorByte):
                endField()
                state = .fieldStart
            default:
                append(byte)
                state = .unquoted
            }
        }
        guard sawAnything else { return nil }
        if pendingColon { append(UInt8(ascii: ":")) }
        if state == .quoted { problem = problem ?? "a quoted field is not closed before the end of the file" }
        endField()
        return Record(line: startLine, fields: fields, problem: problem)
    }
}
