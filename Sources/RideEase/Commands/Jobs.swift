import ArgumentParser
import Emulator
import Foundation
import FunctionRuntime
import Functions
import Scheduler

/// `rideease jobs`: the scheduler's view — schedules, next fire times, recent runs — and `run` to fire one now.
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show scheduled functions with their recent runs, or run one now.",
        subcommands: [List.self, Run.self],
        defaultSubcommand: List.self
    )

    /// `rideease jobs list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print every scheduled function's state as JSON.")

        @OptionGroup var bundle: BundleOptions

        func run() async throws {
            let runtime = try Jobs.runtime(bundle)
            do {
                let report = try await JobsReport(runtime.scheduled)
                FileHandle.standardOutput.write(try JSONCoding.prettyEncoder.encode(report) + Data("\n".utf8))
            } catch {
                throw StartupError("cannot read the scheduler's state: \(error)").exit()
            }
        }
    }

    /// `rideease jobs run NAME`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a scheduled function now: recorded like a scheduled run, refused while one is running."
        )

        @OptionGroup var bundle: BundleOptions

        @Argument(help: "The scheduled function's name.")
        var name: String

        func run() async throws {
            let runtime = try Jobs.runtime(bundle)
            let run: JobRunRecord
            do {
                run = try await runtime.scheduled.runner.trigger(job: name)
            } catch {
                throw StartupError("\(error)").exit()
            }
            FileHandle.standardOutput.write(try JSONCoding.prettyEncoder.encode(run) + Data("\n".utf8))
            if run.status != .succeeded { throw ExitCode(1) }
        }
    }

    static func runtime(_ bundle: BundleOptions) throws -> EmulatorRuntime {
        let environment = ProcessInfo.processInfo.environment
        let logger = Bootstrap.logging(environment, toStandardError: true)
        return try EmulatorRuntime.load(
            bundle, environment: environment, logger: logger,
            metricsFactory: PrometheusExporter(descriptions: FunctionCatalog.metricDescriptions))
    }
}
