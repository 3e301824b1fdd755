import ArgumentParser
import Console
import Emulator
import Foundation
import FunctionRuntime
import Functions
import Logging
import Metrics
import Synchronization

/// `rideease serve`: hosts every HTTP trigger and fires every schedule of the manifest.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the emulator: HTTP triggers on 0.0.0.0:$PORT and scheduled functions on their cron."
    )

    @OptionGroup var bundle: BundleOptions

    @Option(help: "Port to listen on (default: $PORT, then 8080; 0 picks a free port).")
    var port: Int?

    @Option(help: "Address to bind. Cloud Run needs 0.0.0.0.")
    var host = "0.0.0.0"

    @Flag(help: "Do not fire schedules locally (Cloud Scheduler drives them in production).")
    var noSchedule = false

    @Flag(help: "On an empty store, simulate a ride world and train a first model before serving.")
    var demo = false

    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "Serve the web console at /_console.",
            discussion:
                "On by default locally; off by default on Cloud Run ($K_SERVICE set), where --console turns it on."
        )
    )
    var console: Bool?

    func run() async throws {
        // Start-up stages are logged with the "listening" line: a cold start is a rider waiting.
        let started = ContinuousClock.now
        let environment = ProcessInfo.processInfo.environment
        let consoleOn = Console.isEnabled(flag: console, environment: environment)
        let recentLogs = consoleOn ? RecentLogLines() : nil
        let logger = Bootstrap.logging(environment, recent: recentLogs)
        let exporter = PrometheusExporter(descriptions: FunctionCatalog.metricDescriptions)
        MetricsSystem.bootstrap(exporter)
        let runtime = try EmulatorRuntime.load(
            bundle, environment: environment, logger: logger, metricsFactory: exporter)
        let runtimeLoaded = ContinuousClock.now
        let port = try resolvedPort(environment)
        if consoleOn, environment["K_SERVICE"] != nil, !runtime.adminKeyConfigured {
            // Open is fine on a laptop; on the internet the console would show admin data to anyone.
            throw StartupError(
                "--console on Cloud Run needs \(runtime.manifest.adminKeySecret): the console must not be open there"
            ).exit()
        }
        if demo {
            do {
                // The demo model is trained with what the train function declares, as the function would be.
                let training = HandlerConfiguration(manifest: runtime.manifest, environment: environment)
                try await DemoData.ensure(
                    store: runtime.storage, configuration: training.values(for: "train"), logger: logger)
            } catch {
                throw StartupError("demo data: \(error)").exit()
            }
        }
        if !runtime.adminKeyConfigured {
            logger.warning(
                "admin API disabled",
                metadata: [
                    "hint": .string(
                        "set \(runtime.manifest.adminKeySecret) or \(runtime.manifest.adminKeySecret)_FILE to enable admin functions"
                    )
                ]
            )
        }
        // The serving models are loaded before taking traffic (the first request is answered, readiness is true),
        // while this task builds the application: both are first-use work, and there are two cores.
        async let modelsPrepared = Self.prepare(runtime.bundle.backgroundTasks)
        let modelsLoaded = Mutex(ContinuousClock.now)
        let app = buildApplication(
            runtime: runtime,
            exporter: exporter,
            host: host,
            port: port,
            logger: logger,
            console: recentLogs.map { Console(runtime: runtime, logs: $0) }
        ) { boundPort in
            logger.info(
                "listening",
                metadata: [
                    "address": .string("\(host):\(boundPort)"),
                    "startupMs": .stringConvertible(Self.milliseconds(started, .now)),
                    "runtimeMs": .stringConvertible(Self.milliseconds(started, runtimeLoaded)),
                    "modelsMs": .stringConvertible(Self.milliseconds(runtimeLoaded, modelsLoaded.withLock { $0 })),
                ])
            if consoleOn {
                logger.info(
                    "console on",
                    metadata: [
                        "url": .string("http://\(host == "0.0.0.0" ? "localhost" : host):\(boundPort)/_console"),
                        "access": .string(runtime.adminKeyConfigured ? "admin key sign-in" : "open (no admin key)"),
                    ])
            }
        }
        let loaded = await modelsPrepared
        modelsLoaded.withLock { $0 = loaded }
        try await HostServices.run(application: app, runtime: runtime, fireSchedules: !noSchedule, logger: logger)
        logger.info("stopped")
    }

    /// Prepares every background task (the deployment watcher loads the serving models); returns when done.
    private static func prepare(_ tasks: [any BackgroundTask]) async -> ContinuousClock.Instant {
        for task in tasks { await task.prepare() }
        return .now
    }

    private static func milliseconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> Int {
        let duration = from.duration(to: to)
        return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    private func resolvedPort(_ environment: [String: String]) throws -> Int {
        if let port { return try Self.validPort(port, source: "--port") }
        if let text = environment["PORT"], !text.isEmpty {
            guard let value = Int(text) else { throw ValidationError("PORT \"\(text)\" is not a number") }
            return try Self.validPort(value, source: "PORT")
        }
        return 8080
    }

    private static func validPort(_ port: Int, source: String) throws -> Int {
        guard (0...65535).contains(port) else { throw ValidationError("\(source) \(port) is out of range 0-65535") }
        return port
    }
}
