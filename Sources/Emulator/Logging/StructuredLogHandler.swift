import Console
import Foundation
import FunctionRuntime
import Logging

/// A log handler writing one line per entry to stdout: a JSON object Cloud Logging understands
/// (`severity`, `message`, `time`, `logging.googleapis.com/trace`, metadata as fields) or readable text.
struct StructuredLogHandler: LogHandler {
    /// Output form.
    enum Format: String, Sendable {
        case json
        case text
    }

    let label: String
    let format: Format
    /// Where lines go: stdout for the server (Cloud Logging reads it), stderr for CLI commands whose stdout is data.
    let toStandardError: Bool
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// Where the console's Logs page reads from; `nil` for CLI commands, which have no console.
    var recent: RecentLogLines?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    // swift-log hands us each entry on the caller's thread; one locked write per line keeps lines whole.
    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line: String
        switch format {
        case .json: line = Self.json(event: event, metadata: merged)
        case .text: line = Self.text(event: event, metadata: merged)
        }
        StandardOutput.write(line + "\n", toStandardError: toStandardError)
        recent?.append(
            RecentLogLines.Line(
                time: Date(), severity: Self.severity(event.level), message: event.message.description,
                fields: merged.mapValues(\.description)))
    }

    static func severity(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    /// One JSON object with sorted keys, written by hand: `JSONSerialization` here took 40 % of a busy server's CPU.
    static func json(event: LogEvent, metadata: Logger.Metadata, time: Date = Date()) -> String {
        var json = JSONText(capacity: 256)
        json.raw("{")
        let keys = Set(metadata.keys).union(["severity", "message", "time"]).sorted()
        for (index, key) in keys.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(key)
            json.raw(":")
            switch key {
            case "severity": json.string(severity(event.level))
            case "message": json.string(event.message.description)
            case "time": json.timestamp(time)
            default: write(metadata[key] ?? .string(""), to: &json)
            }
        }
        json.raw("}")
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private static func text(event: LogEvent, metadata: Logger.Metadata) -> String {
        let time = String(JSONText.iso8601(Date(), milliseconds: true).dropFirst(11))
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(time) \(severity(event.level).padding(toLength: 7, withPad: " ", startingAt: 0)) \(event.message)"
            + (fields.isEmpty ? "" : "  \(fields)")
    }

    /// Numbers stay numbers (so Cloud Logging can filter on them); everything else is a string.
    private static func write(_ value: Logger.Metadata.Value, to json: inout JSONText) {
        switch value {
        case .string(let text): json.string(text)
        case .stringConvertible(let convertible):
            if let number = convertible as? Int {
                json.number(number)
            } else if let number = convertible as? Double, number.isFinite {
                json.number(number)
            } else {
                json.string(convertible.description)
            }
        case .array(let values):
            json.raw("[")
            for (index, element) in values.enumerated() {
                if index > 0 { json.raw(",") }
                write(element, to: &json)
            }
            json.raw("]")
        case .dictionary(let values):
            json.raw("{")
            for (index, key) in values.keys.sorted().enumerated() {
                if index > 0 { json.raw(",") }
                json.string(key)
                json.raw(":")
                write(values[key] ?? .string(""), to: &json)
            }
            json.raw("}")
        }
    }
}
