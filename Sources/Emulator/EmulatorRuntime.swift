import ArgumentParser
import CoreMetrics
import Foundation
import FunctionRuntime
import Functions
import Logging
import Scheduler
import Storage

/// Everything a command needs to run functions: the manifest, the store, the bundle's handlers and the invoker.
struct EmulatorRuntime: Sendable {
    let manifest: FunctionManifest
    let storage: any ObjectStore
    let bundle: FunctionBundle
    let invoker: FunctionInvoker
    let scheduled: ScheduledFunctions
    /// The admin key, kept so the console can sign browser sessions with it; `nil` when none is configured.
    let adminKey: AdminKey?

    var adminKeyConfigured: Bool { adminKey != nil }

    /// The runtime a command's options describe; on failure, prints the reason and exits non-zero.
    static func load(
        _ bundle: BundleOptions,
        environment: [String: String],
        logger: Logger,
        metricsFactory: any MetricsFactory
    ) throws -> EmulatorRuntime {
        do {
            return try make(
                manifestPath: bundle.manifest,
                storageLocation: bundle.storageLocation(environment),
                environment: environment,
                logger: logger,
                metricsFactory: metricsFactory
            )
        } catch {
            throw error.exit()
        }
    }

    /// Loads the manifest and builds the bundle, or throws ``StartupError`` with a message for the user.
    static func make(
        manifestPath: String,
        storageLocation: String,
        environment: [String: String],
        logger: Logger,
        metricsFactory: any MetricsFactory,
        clock: any WallClock = SystemWallClock()
    ) throws(StartupError) -> EmulatorRuntime {
        let manifest: FunctionManifest
        do {
            manifest = try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames).load(path: manifestPath)
        } catch {
            throw StartupError(error.description)
        }
        return try make(
            manifest: manifest, storageLocation: storageLocation, environment: environment, logger: logger,
            metricsFactory: metricsFactory, clock: clock)
    }

    /// Builds the bundle of `manifest`; `runsInService: false` for the training job (see ``HandlerDependencies``).
    static func make(
        manifest: FunctionManifest,
        storageLocation: String,
        environment: [String: String],
        logger: Logger,
        metricsFactory: any MetricsFactory,
        clock: any WallClock = SystemWallClock(),
        runsInService: Bool = true
    ) throws(StartupError) -> EmulatorRuntime {
        let storage: any ObjectStore
        do {
            storage = try makeObjectStore(from: storageLocation, environment: environment)
        } catch {
            throw StartupError("RIDEEASE_STORAGE: \(error)")
        }
        let adminKey: AdminKey?
        let invoker: FunctionInvoker
        let bundle: FunctionBundle
        do {
            bundle = try FunctionCatalog.makeBundle(
                HandlerDependencies(
                    storage: storage,
                    clock: clock,
                    metricsFactory: metricsFactory,
                    logger: logger,
                    configuration: HandlerConfiguration(manifest: manifest, environment: environment),
                    startedAt: clock.now(),
                    runsInService: runsInService
                )
            )
        } catch {
            throw StartupError("cannot build the function bundle: \(error)")
        }
        do {
            adminKey = try Secrets.value(manifest.adminKeySecret, in: environment).map(AdminKey.init)
            invoker = try FunctionInvoker(
                manifest: manifest,
                handlers: bundle.handlers,
                storage: storage,
                clock: clock,
                metricsFactory: metricsFactory,
                logger: logger,
                environment: environment,
                adminKey: adminKey
            )
        } catch {
            throw StartupError(error.description)
        }
        let scheduled: ScheduledFunctions
        do {
            scheduled = try ScheduledFunctions(
                invoker: invoker, storage: storage, clock: clock, metricsFactory: metricsFactory, logger: logger)
        } catch {
            throw StartupError(error.description)
        }
        return EmulatorRuntime(
            manifest: manifest,
            storage: storage,
            bundle: bundle,
            invoker: invoker,
            scheduled: scheduled,
            adminKey: adminKey
        )
    }
}

/// A problem that stops a command before it starts, shown to the user as one clear message.
struct StartupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

extension StartupError {
    /// Prints the message to stderr and exits non-zero, without a stack trace.
    func exit() -> ExitCode {
        FileHandle.standardError.write(Data("rideease: \(description)\n".utf8))
        return ExitCode(1)
    }
}
