import ArgumentParser
import Foundation
import FunctionRuntime
import Functions
import Scheduler

/// `rideease functions`: what the manifest declares — routes, schedules and their next fire times.
struct FunctionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions",
        abstract: "List functions with their routes, auth, limits, schedules and next three fire times."
    )

    @Option(name: .long, help: "The function manifest.")
    var manifest = "functions.yaml"

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let loaded: FunctionManifest
        do {
            loaded = try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames).load(path: manifest)
        } catch {
            throw StartupError(error.description).exit()
        }
        let listing = FunctionListing(manifest: loaded, now: Date())
        if json {
            let data = try JSONCoding.encoder.encode(listing)
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(listing.table().utf8))
        }
    }
}

/// The manifest as users want to read it, with schedules resolved to concrete times.
struct FunctionListing: Encodable {
    struct Entry: Encodable {
        var name: String
        var handler: String
        var description: String
        var routes: [String]
        var auth: String
        var timeout: String
        var maxRequestBytes: Int
        var schedule: String?
        var timeZone: String?
        var nextRuns: [Date]
    }

    var service: String
    var builtInRoutes: [String]
    var functions: [Entry]

    init(manifest: FunctionManifest, now: Date) {
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

    func table() -> String {
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
