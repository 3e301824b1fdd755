import Console
import Logging

/// Process-wide backends, chosen once in `main` (swift-log traps when bootstrapped twice).
package enum Bootstrap {
    /// Installs the structured log handler: JSON on Cloud Run (`K_SERVICE` set) or with `LOG_FORMAT=json`,
    /// readable text otherwise; level from `LOG_LEVEL` (default info).
    /// CLI commands log to stderr so their stdout stays clean data.
    /// `recent` also keeps the latest lines in memory, for the console.
    package static func logging(
        _ environment: [String: String], toStandardError: Bool = false, recent: RecentLogLines? = nil
    ) -> Logger {
        let format: StructuredLogHandler.Format =
            environment["LOG_FORMAT"].flatMap(StructuredLogHandler.Format.init(rawValue:))
            ?? (environment["K_SERVICE"] != nil ? .json : .text)
        let level = environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
        LoggingSystem.bootstrap { label in
            StructuredLogHandler(
                label: label, format: format, toStandardError: toStandardError, logLevel: level, recent: recent)
        }
        return Logger(label: "rideease")
    }
}
