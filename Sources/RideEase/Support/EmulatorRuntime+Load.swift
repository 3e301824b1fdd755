import ArgumentParser
import CoreMetrics
import Emulator
import Foundation
import Logging

extension EmulatorRuntime {
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
}

extension StartupError {
    /// Prints the message to stderr and exits non-zero, without a stack trace.
    func exit() -> ExitCode {
        FileHandle.standardError.write(Data("rideease: \(description)\n".utf8))
        return ExitCode(1)
    }
}
