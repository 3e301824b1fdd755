import ArgumentParser
import Foundation
import Recommender

/// `rideease events import FILE`: bulk ride events from CSV or JSON Lines, with progress.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Manage ride events.",
        subcommands: [Import.self]
    )

    /// `rideease events import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Import events from CSV (header: user,item[,weight][,timestamp]) or JSON Lines (one event per line).",
            discussion: """
                CSV may be comma- or tab-separated; timestamps are Unix seconds (rows without one keep file order). \
                MovieLens' ratings.csv imports as-is (userId,movieId,rating,timestamp).
                """
        )

        @OptionGroup var bundle: BundleOptions

        @Argument(help: "The file to import (.csv, .tsv or .jsonl).") var file: String

        func run() async throws {
            let store = try OperatorSupport.store(bundle, ProcessInfo.processInfo.environment)
            guard let data = FileManager.default.contents(atPath: file) else {
                throw StartupError("cannot read \(file)").exit()
            }
            let text = String(decoding: data, as: UTF8.self)
            let parsed: EventFileParser.Result
            do {
                parsed =
                    file.hasSuffix(".jsonl") || file.hasSuffix(".ndjson")
                    ? EventFileParser.jsonLines(text, now: Date()) : try EventFileParser.csv(text, now: Date())
            } catch {
                throw StartupError("\(file): \(error.description)").exit()
            }
            for problem in parsed.problems.prefix(20) { OperatorSupport.progress("\(file):\(problem)") }
            if parsed.problems.count > 20 { OperatorSupport.progress("… and \(parsed.problems.count - 20) more") }
            var written = 0
            for chunk in stride(from: 0, to: parsed.events.count, by: 10_000) {
                let slice = Array(parsed.events[chunk..<min(chunk + 10_000, parsed.events.count)])
                try await OperatorSupport.append(slice, to: store)
                written += slice.count
                OperatorSupport.progress("imported \(written)/\(parsed.events.count) events")
            }
            FileHandle.standardOutput.write(
                Data("{\"imported\":\(written),\"rejected\":\(parsed.problems.count)}\n".utf8)
            )
            if written == 0 { throw ExitCode(1) }
        }
    }
}

/// Turns an events file into validated ride events, collecting `line: problem` for rows that are refused.
enum EventFileParser {
    struct Result {
        var events: [RideEvent] = []
        var problems: [String] = []
    }

    /// CSV or TSV with a header naming `user` and `item` columns (MovieLens' `userId`/`movieId` accepted).
    static func csv(_ text: String, now: Date) throws(CSVHeaderError) -> Result {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw CSVHeaderError("the file is empty") }
        let header = lines.removeFirst()
        let separator: Character = header.contains("\t") ? "\t" : ","
        let names = header.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ aliases: [String]) -> Int? { names.firstIndex { aliases.contains($0) } }
        guard let user = column(["user", "userid", "user_id"]),
            let item = column(["item", "itemid", "item_id", "movieid"])
        else {
            throw CSVHeaderError("the header must name a user and an item column (user,item[,weight][,timestamp])")
        }
        let weight = column(["weight", "rating"])
        let timestamp = column(["timestamp", "time", "ts"])
        var result = Result()
        for (offset, line) in lines.enumerated() {
            let fields = line.split(separator: separator, omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            var object: [String: Any] = ["type": "ride"]
            if user < fields.count { object["userId"] = fields[user] }
            if item < fields.count { object["itemId"] = fields[item] }
            if let weight, weight < fields.count, let value = Double(fields[weight]) { object["weight"] = value }
            // Without timestamps, file order is time order: one second apart from a fixed origin.
            object["timestamp"] =
                timestamp.flatMap { $0 < fields.count ? Double(fields[$0]) : nil } ?? Double(1_700_000_000 + offset)
            append(object, line: offset + 2, now: now, to: &result)
        }
        return result
    }

    /// One JSON event per line.
    static func jsonLines(_ text: String, now: Date) -> Result {
        var result = Result()
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                result.problems.append("\(offset + 1): not a JSON object")
                continue
            }
            append(object, line: offset + 1, now: now, to: &result)
        }
        return result
    }

    private static func append(_ object: [String: Any], line: Int, now: Date, to result: inout Result) {
        do {
            result.events.append(try RideEvent(json: object, now: now))
        } catch {
            result.problems.append("\(line): \(error.message)")
        }
    }
}

/// A CSV file whose header cannot be used.
struct CSVHeaderError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
