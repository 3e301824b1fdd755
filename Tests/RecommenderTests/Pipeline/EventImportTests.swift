import Foundation
import Recommender
import Storage
import Testing

@Suite("events import: RFC 4180, TSV, :: rows, JSON Lines, gzip, duplicates, rejections by reason")
struct EventImportTests {
    let fixture: StoreFixture
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    init() throws { fixture = try StoreFixture() }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let url = fixture.root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func write(_ text: String, _ name: String) throws -> String { try write(Array(text.utf8), name) }

    func rows(_ path: String, unit: TimestampUnit? = nil) throws -> [EventFileReader.Row] {
        var reader = try EventFileReader(path: path, timestamps: EventTimestampReader(unit: unit), now: now)
        var rows: [EventFileReader.Row] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }

    func events(_ path: String, unit: TimestampUnit? = nil) throws -> [RideEvent] {
        try rows(path, unit: unit).compactMap { if case .event(let event, _) = $0 { event } else { nil } }
    }

    func stored() async throws -> [RideEvent] {
        let log = EventLog(store: fixture.store)
        return try await log.events(in: try await log.segments())
    }

    @Test func rfc4180QuotedFieldsSeparatorsQuotesAndLineBreaks() throws {
        // A BOM, CRLF line ends, a quoted separator, a doubled quote, an embedded CRLF (in a column the import
        // does not use: ids may not hold line breaks), no final line break.
        let csv =
            "\u{FEFF}user_id,item_id,rating,note,timestamp\r\n"
            + "\"rider, 1\",\"the \"\"old\"\" pier\",4,,881248549\r\n"
            + "2,\"quay\",5,\"line one\r\nline two, \"\"quoted\"\"\",881248550\r\n"
            + "3,plain,1,,881248551"
        let events = try events(try write(csv, "quoted.csv"))
        #expect(events.map(\.userId) == ["rider, 1", "2", "3"])
        #expect(events.map(\.itemId) == ["the \"old\" pier", "quay", "plain"])
        #expect(events.map(\.timestamp) == [881_248_549, 881_248_550, 881_248_551])
        #expect(events.map(\.weight) == [4, 5, 1])
    }

    @Test func lineNumbersCountEmbeddedLineBreaks() throws {
        let csv = "user,item,timestamp\n1,\"a\nb\",881248549\n2,c,-5\n"
        let rows = try rows(try write(csv, "lines.csv"))
        guard case .rejected(let reason, let line) = try #require(rows.last) else {
            Issue.record("the negative timestamp was accepted")
            return
        }
        #expect(reason == "timestamp is negative")
        #expect(line == 4)
    }

    @Test func anUnclosedQuoteIsOneRejectedRowNotAHang() throws {
        let csv = "user,item\n1,a\n2,\"never closed\n3,b\n"
        let rows = try rows(try write(csv, "open.csv"))
        #expect(rows.count == 2)
        guard case .rejected(let reason, line: 3) = try #require(rows.last) else {
            Issue.record("expected a rejection on line 3, got \(rows)")
            return
        }
        #expect(reason.contains("not closed"))
    }

    @Test func tsvMovieLensDatAndJSONLines() throws {
        let tsv = try events(try write("userId\tmovieId\trating\ttimestamp\n196\t242\t3\t881250949\n", "u.tsv"))
        #expect(tsv.map(\.itemId) == ["242"])
        // MovieLens 100k u.data: tab-separated, no header; and a headerless user,item,timestamp log.
        let udata = try events(try write("196\t242\t3\t881250949\n186\t302\t3\t891717742\n", "u.data"))
        #expect(udata.map(\.userId) == ["196", "186"])
        #expect(udata.map(\.weight) == [3, 3])
        #expect(udata.map(\.timestamp) == [881_250_949, 891_717_742])
        let triples = try events(try write("1,10,881250949\n2,20,881250950\n", "log.csv"))
        #expect(triples.map(\.timestamp) == [881_250_949, 881_250_950])
        #expect(triples.allSatisfy { $0.weight == nil })
        // MovieLens 1M ratings.dat: no header, user::item::rating::timestamp.
        let dat = try events(try write("1::1193::5::978300760\n1::661::3::978302109\n", "ratings.dat"))
        #expect(dat.map(\.itemId) == ["1193", "661"])
        #expect(dat.map(\.timestamp) == [978_300_760, 978_302_109])
        let jsonl = """
            {"type":"ride","userId":"u","itemId":"p","timestamp":"1997-12-04T17:15:49+02:00"}
            {"type":"ride","userId":"u","itemId":"q","timestamp":881248549000}
            not json
            """
        let rows = try rows(try write(jsonl, "events.jsonl"))
        #expect(rows.count == 3)
        if case .rejected(let reason, let line) = rows[2] {
            #expect(reason == "not a JSON object" && line == 3)
        } else {
            Issue.record("a line that is not JSON was accepted")
        }
    }

    @Test func gzipIsDecompressedByContent() throws {
        let csv =
            "user,item,timestamp\n"
            + (0..<5000).map { "\($0),p\($0 % 7),\(881_248_549 + $0)" }
            .joined(separator: "\n")
        let plain = try write(csv, "big.csv")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", plain]
        try gzip.run()
        gzip.waitUntilExit()
        var reader = try EventFileReader(path: plain + ".gz", timestamps: .init(), now: now)
        #expect(reader.isCompressed)
        var count = 0
        while let row = try reader.next() {
            if case .event = row { count += 1 }
        }
        #expect(count == 5000)
        // A truncated archive is an error naming gzip, not a silent partial import.
        let archive = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
        let truncated = try write(Array(archive.prefix(archive.count / 2)), "cut.csv.gz")
        #expect {
            var broken = try EventFileReader(path: truncated, timestamps: .init(), now: now)
            while try broken.next() != nil {}
        } throws: { error in
            (error as? EventImportError)?.description.contains("gzip") == true
        }
    }

    @Test func aMissingFileOrUnusableHeaderIsAnError() throws {
        #expect(throws: EventImportError.self) {
            _ = try EventFileReader(
                path: fixture.root.appendingPathComponent("nope.csv").path, timestamps: .init(), now: now)
        }
        #expect(throws: EventImportError.self) {
            _ = try EventFileReader(path: try write("a,b\n1,2\n", "bad.csv"), timestamps: .init(), now: now)
        }
        #expect(throws: EventImportError.self) {
            _ = try EventFileReader(path: try write("", "empty.csv"), timestamps: .init(), now: now)
        }
    }

    @Test func reimportIsIdempotentAndRejectionsAreGroupedByReason() async throws {
        // Shaped like a real log: numeric ids, 1990s seconds, riders with one ride, some bad rows.
        var csv = "userId,movieId,rating,timestamp\n"
        for user in 1...300 { csv += "\(user),\(user % 37),4,\(881_000_000 + user * 17)\n" }
        csv += "301,5,4,-1\n302,5,4,-2\n303,5,4,soon\n1,1,4,881000017\n"  // the last row repeats user 1's ride
        let path = try write(csv, "ratings.csv")
        let importer = EventImporter(batchSize: 128)
        let first = try await importer.run(path: path, into: fixture.store, now: now)
        #expect(first.imported == 300)
        #expect(first.duplicates == 1)
        #expect(
            first.rejections.lines == [
                "timestamp is negative: 2 rows (lines 302, 303)",
                "\(EventTimestampReader.unreadable): 1 row (line 304)",
            ])
        #expect(first.json == #"{"imported":300,"duplicates":1,"rejected":3}"#)
        let second = try await importer.run(path: path, into: fixture.store, now: now)
        #expect(second.json == #"{"imported":0,"duplicates":301,"rejected":3}"#)
        #expect(try await stored().count == 300)
    }

    @Test func rowsWithoutTimestampsKeepFileOrder() async throws {
        let events = try events(try write("user,item\nu,a\nu,b\nu,c\n", "order.csv"))
        #expect(events.map(\.timestamp) == [1_700_000_000, 1_700_000_001, 1_700_000_002])
    }

    @Test func theTallyKeepsTheFirstLinesAndABoundedNumberOfReasons() {
        var tally = RejectionTally()
        for line in 1...8 { tally.add("weight must be a number", line: line) }
        for index in 0..<(RejectionTally.reasonsKept + 10) { tally.add("reason \(index)", line: 100 + index) }
        #expect(tally.lines[0] == "weight must be a number: 8 rows (lines 1, 2, 3, 4, 5, …)")
        #expect(tally.groups.count == RejectionTally.reasonsKept + 1)
        #expect(tally.total == 8 + RejectionTally.reasonsKept + 10)
    }
}
