import CoreMetrics
import Foundation
import FunctionRuntime
import Functions
import Logging
import Scheduler
import Storage

/// Everything a command needs to run functions: the manifest, the store, the bundle's handlers and the invoker.
package struct EmulatorRuntime: Sendable {
    package let manifest: FunctionManifest
    package let storage: any ObjectStore
    package let bundle: FunctionBundle
    package let invoker: FunctionInvoker
    package let scheduled: ScheduledFunctions
    /// The admin key, kept so the console can sign browser sessions with it; `nil` when none is configured.
    package let adminKey: AdminKey?

    /// The read-only viewer key (traces), for the console's viewer sessions; `nil` when none is configured.
    package let viewerKey: AdminKey?

    package var adminKeyConfigured: Bool { adminKey != nil }

    /// Loads the manifest and builds the bundle, or throws ``StartupError`` with a message for the user.
    package static func make(
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
    package static func make(
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
        let viewerKey: AdminKey?
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
                    runsInService: runsInService,
                    retention: manifest.retention
                )
            )
        } catch {
            throw StartupError("cannot build the function bundle: \(error)")
        }
        do {
            adminKey = try Secrets.value(manifest.adminKeySecret, in: environment).map(AdminKey.init)
            viewerKey = try Secrets.value(manifest.viewerKeySecret, in: environment).map(AdminKey.init)
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
            adminKey: adminKey,
            viewerKey: viewerKey
        )
    }
}

/// A problem that stops a command before it starts, shown to the user as one clear message.
package struct StartupError: Error, CustomStringConvertible {
    package let description: String

    package init(_ description: String) { self.description = description }
}
