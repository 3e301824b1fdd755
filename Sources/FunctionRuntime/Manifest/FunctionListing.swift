import Foundation
import Scheduler

/// The manifest as users want to read it, with schedules resolved to concrete times.
public struct FunctionListing: Encodable, Sendable {
    public struct Entry: Encodable, Sendable {
        public var name: String
        public var handler: String
        public var description: String
        public var routes: [String]
        public var auth: String
        public var timeout: String
        public var maxRequestBytes: Int
        public var schedule: String?
        public var timeZone: String?
        public var nextRuns: [Date]
    }

    public var service: String
    public var builtInRoutes: [String]
    public var functions: [Entry]

    public init(manifest: FunctionManifest, now: Date) {
        service = manifest.service
        builtInRoutes = ManifestLoader.reservedPaths.map { "GET \($0)" }
        functions = manifest.functions.map { function in
            Entry(
                name: function.name,
                handler: function.handler,
                description: function.description,
                routes: function.httpTriggers.map(\.description),
                auth: function.auth.rawValue,
                timeout: function.timeout.manifestText,
                maxRequestBytes: function.maxRequestBytes,
                schedule: function.schedule?.expression,
                timeZone: function.schedule?.timeZoneName,
                nextRuns: function.schedule.map { $0.cron.nextFireDates(after: now, count: 3, in: $0.timeZone) } ?? []
            )
        }
    }

    /// The listing as `rideease functions` prints it without `--json`.
    public func table() -> String {
        var lines = ["service \(service)   built-in: \(builtInRoutes.joined(separator: ", "))", ""]
        for function in functions {
            lines.append(
                "\(function.name)  (handler \(function.handler), auth \(function.auth), timeout \(function.timeout))")
            if !function.description.isEmpty { lines.append("    \(function.description)") }
            for route in function.routes { lines.append("    http      \(route)") }
            if let schedule = function.schedule, let zone = function.timeZone {
                lines.append("    schedule  \"\(schedule)\" \(zone)")
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
                formatter.timeZone = TimeZone(identifier: zone)
                formatter.locale = Locale(identifier: "en_US_POSIX")
                for date in function.nextRuns {
                    lines.append("      next    \(formatter.string(from: date))  (\(date.formatted(.iso8601)))")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
