import Foundation

/// Reads an events file row by row into validated ride events: CSV (RFC 4180), TSV, MovieLens' `::` rows or JSON
/// Lines, plain or gzip-compressed, never holding more than a chunk and a row.
///
/// Delimited files name their columns in a header (`user,item[,weight][,timestamp][,city]`, with MovieLens'
/// `userId,movieId,rating,timestamp` and the aliases in ``columnAliases``); `::` files and files whose first row is
/// all numbers have none and are read in MovieLens order (``headerless(_:format:)``). Rows without a timestamp
/// column keep file order: one second apart from a fixed origin.
public struct EventFileReader {
    /// What one row became.
    public enum Row {
        /// A valid event from line `line`.
        case event(RideEvent, line: Int)
        /// A refused row and why.
        case rejected(reason: String, line: Int)
    }

    /// The formats it reads.
    public enum Format: String, Sendable {
        case csv, tsv, doubleColon = "::", jsonLines = "jsonl"
    }

    /// Header names accepted per column (compared lowercased).
    public static let columnAliases: [String: [String]] = [
        "user": ["user", "userid", "user_id", "rider", "rider_id"],
        "item": ["item", "itemid", "item_id", "movieid", "movie_id", "place", "place_id"],
        "weight": ["weight", "rating"],
        "timestamp": ["timestamp", "time", "ts"],
        "city": ["city"],
    ]

    /// The detected format.
    public let format: Format
    /// Whether the file was gzip-compressed.
    public let isCompressed: Bool

    private var records: DelimitedRecordReader
    private let timestamps: EventTimestampReader
    private let now: Date
    private var columns: [String: Int] = [:]
    private var pending: DelimitedRecordReader.Record?
    private var rowIndex = 0

    /// Opens `path` and reads its header; throws when the file is missing, empty, or its header names no user
    /// and item column.
    public init(path: String, timestamps: EventTimestampReader, now: Date) throws(EventImportError) {
        let source = try ByteChunkSource(path: path)
        isCompressed = source.isCompressed
        self.timestamps = timestamps
        self.now = now
        let name = path.lowercased().replacingOccurrences(of: ".gz", with: "", options: .anchored.union(.backwards))
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") {
            format = .jsonLines
            records = DelimitedRecordReader(source: source, separator: .none)
            return
        }
        // The separator is chosen from the first line (peeked, so the stream is read once).
        guard let firstChunk = try source.peek() else { throw EventImportError("\(path) is empty") }
        let firstLine = String(decoding: firstChunk.prefix { $0 != 0x0A && $0 != 0x0D }, as: UTF8.self)
        if firstLine.contains("::") {
            format = .doubleColon
        } else if firstLine.contains("\t") || name.hasSuffix(".tsv") {
            format = .tsv
        } else {
            format = .csv
        }
        let separator: DelimitedRecordReader.Separator =
            switch format {
            case .doubleColon: .doubleColon
            case .tsv: .byte(UInt8(ascii: "\t"))
            default: .byte(UInt8(ascii: ","))
            }
        records = DelimitedRecordReader(source: source, separator: separator)
        guard let header = try records.next() else { throw EventImportError("\(path) is empty") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for (column, aliases) in Self.columnAliases {
            if let index = names.firstIndex(where: aliases.contains) { columns[column] = index }
        }
        if columns["user"] == nil && columns["item"] == nil, let positional = Self.headerless(names, format: format) {
            columns = positional
            pending = header
        }
        guard columns["user"] != nil, columns["item"] != nil else {
            throw EventImportError(
                "\(path): the header must name a user and an item column (user,item[,weight][,timestamp]); "
                    + "found \(names.prefix(8).joined(separator: ","))")
        }
    }

    /// The columns of a file without a header, in MovieLens order: `::` rows always (`ratings.dat`), other files
    /// when the first row is all numbers (`u.data`: `user<TAB>item<TAB>rating<TAB>timestamp`). Three columns are
    /// `user,item,timestamp` when the third looks like a time (over 10^6), else `user,item,rating`.
    static func headerless(_ first: [String], format: Format) -> [String: Int]? {
        let numeric = first.count >= 2 && first.allSatisfy { Double($0) != nil }
        guard format == .doubleColon || numeric else { return nil }
        switch first.count {
        case 2: return ["user": 0, "item": 1]
        case 3:
            return Double(first[2]).map { $0 > 1e6 } == true
                ? ["user": 0, "item": 1, "timestamp": 2] : ["user": 0, "item": 1, "weight": 2]
        default: return ["user": 0, "item": 1, "weight": 2, "timestamp": 3]
        }
    }

    /// The next row, or `nil` at the end of the file.
    public mutating func next() throws(EventImportError) -> Row? {
        var next = pending
        pending = nil
        if next == nil { next = try records.next() }
        guard let record = next else { return nil }
        defer { rowIndex += 1 }
        if let problem = record.problem { return .rejected(reason: problem, line: record.line) }
        do {
            let event = try format == .jsonLines ? jsonEvent(record) : delimitedEvent(record)
            return .event(event, line: record.line)
        } catch {
            return .rejected(reason: error.message, line: record.line)
        }
    }

    private func jsonEvent(_ record: DelimitedRecordReader.Record) throws(EventValidationError) -> RideEvent {
        guard
            let object = try? JSONSerialization.jsonObject(with: Data(record.fields[0].utf8)) as? [String: Any]
        else { throw EventValidationError("not a JSON object") }
        return try RideEvent(json: object, now: now, timestamps: timestamps)
    }

    private func delimitedEvent(_ record: DelimitedRecordReader.Record) throws(EventValidationError) -> RideEvent {
        func field(_ column: String) -> String? {
            guard let index = columns[column], index < record.fields.count else { return nil }
            let value = Self.trimmed(record.fields[index])
            return value.isEmpty ? nil : value
        }
        guard let user = field("user") else { throw EventValidationError("userId is required") }
        try RideEvent.checkId(user, field: "userId")
        guard let item = field("item") else { throw EventValidationError("itemId is required") }
        try RideEvent.checkId(item, field: "itemId")
        var weight: Float?
        if let text = field("weight") {
            guard let value = Double(text) else { throw EventValidationError(RideEvent.badWeight) }
            weight = try RideEvent.checkedWeight(value)
        }
        let city = field("city")
        if let city { try RideEvent.checkId(city, field: "city") }
        // Without timestamps, file order is time order: one second apart from a fixed origin.
        var timestamp = Int64(1_700_000_000 + rowIndex)
        if let text = field("timestamp") { timestamp = try timestamps.seconds(text: Substring(text), now: now) }
        var event = RideEvent(
            eventId: "", type: .ride, userId: user, itemId: item, timestamp: timestamp, weight: weight, city: city)
        event.eventId = event.contentHash()
        return event
    }

    /// `text` without leading and trailing spaces and tabs; by bytes, as Foundation's `trimmingCharacters` cost a
    /// tenth of an import.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = utf8.first, let last = utf8.last, isBlank(first) || isBlank(last) else { return text }
        guard let start = utf8.firstIndex(where: { !isBlank($0) }), let end = utf8.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(Substring(utf8[start...end]))
    }
}
