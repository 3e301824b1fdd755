import Console
import FunctionRuntime
import Hummingbird
import Logging
import NIOCore

/// Builds the emulator's HTTP application: the same function used by `rideease serve` and by in-process tests.
/// `console` serves `/_console`; without it that path answers 404.
package func buildApplication(
    runtime: EmulatorRuntime,
    exporter: PrometheusExporter,
    host: String,
    port: Int,
    logger: Logger,
    console: Console? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let responder = FunctionResponder(
        routes: RouteTable(manifest: runtime.manifest),
        invoker: runtime.invoker,
        exporter: exporter,
        builtIns: BuiltInRoutes(scheduled: runtime.scheduled, invoker: runtime.invoker, console: console)
    )
    return Application(
        responder: responder,
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "rideease"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger
    )
}
