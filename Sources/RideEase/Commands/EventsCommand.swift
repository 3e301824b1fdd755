import ArgumentParser
import Emulator
import Foundation
import Recommender

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `rideease events import FILE`: bulk ride events from CSV, TSV, `::` rows or JSON Lines, plain or gzip.
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
                "Import events from CSV/TSV (header: user,item[,weight][,timestamp]), MovieLens :: rows or JSON Lines.",
            discussion: """
                CSV follows RFC 4180 (quoted fields, embedded separators, quotes and line breaks, CRLF); .gz files \
                are decompressed as they are read. Timestamps are Unix seconds, milliseconds or microseconds \
                (recognised by size unless --timestamp-unit says) or ISO-8601; rows without one keep file order. \
                Events already in the store are counted as duplicates, so importing a file twice is harmless. \
                Prints {"imported":N,"duplicates":D,"rejected":R}; refused rows are summarised by reason on stderr.
                """
        )

        @OptionGroup var bundle: BundleOptions

        @Option(help: "The unit of numeric timestamps: s, ms or us (default: recognised by magnitude).")
        var timestampUnit: String?

        @Argument(help: "The file to import (.csv, .tsv, .dat, .jsonl; optionally .gz).") var file: String

        func run() async throws {
            var unit: TimestampUnit?
            if let timestampUnit {
                guard let parsed = TimestampUnit(rawValue: timestampUnit) else {
                    throw StartupError("--timestamp-unit \"\(timestampUnit)\" must be one of: s, ms, us").exit()
                }
                unit = parsed
            }
            let store = try OperatorStore.open(bundle, ProcessInfo.processInfo.environment)
            let importer = EventImporter(timestamps: EventTimestampReader(unit: unit))
            let meter = ProgressMeter(isTerminal: isatty(STDERR_FILENO) == 1)
            let summary: EventImporter.Summary
            do {
                summary = try await importer.run(path: file, into: store) { meter.report(rows: $0) }
            } catch let error as EventImportError {
                throw StartupError(error.description).exit()
            }
            meter.finish()
            let name = (file as NSString).lastPathComponent
            for line in summary.rejections.lines { Progress.line("\(name): \(line)") }
            Progress.line(
                "\(name): \(summary.rows) rows (\(summary.format?.rawValue ?? "?")\(summary.compressed ? ", gzip" : "")"
                    + "): \(summary.imported) imported, \(summary.duplicates) duplicates, "
                    + "\(summary.rejections.total) rejected in \(meter.elapsedText)")
            FileHandle.standardOutput.write(Data((summary.json + "\n").utf8))
            // Nothing usable at all is a failure (wrong file, wrong unit); a re-import of known events is not.
            if summary.imported + summary.duplicates == 0 {
                Progress.line("\(name): no row could be imported")
                throw ExitCode(1)
            }
        }
    }
}
