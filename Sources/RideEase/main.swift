import ArgumentParser
import NIOCore
import NIOPosix

// Swift concurrency's jobs run on NIO's event loops instead of on a second pool of threads: a request's handler
// then runs on the thread that read the request, without two thread hops per request. Measured with
// bench/serving-bench.sh: about 10 % less server CPU per recommendation and 15 % more throughput (bench/RESULTS.md).
// The price is a rule: nothing may block a concurrency thread, as it would also stop that event loop's network I/O.
// Blocking and CPU-heavy work goes to the bounded pools `Offload.io` and `Offload.cpu` (the rule: `OffloadPool`).
// Must happen on the main thread, before any task starts.
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
await runAsync(RideEase.self)

/// `AsyncParsableCommand.main()`: plain `RideEase.main()` resolves to the synchronous `ParsableCommand.main()`.
func runAsync<Command: AsyncParsableCommand>(_: Command.Type) async {
    await Command.main()
}
