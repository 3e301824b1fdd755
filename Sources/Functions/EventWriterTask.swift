import FunctionRuntime
import Storage

/// Runs a ``SegmentWriter``'s group-commit timer and flushes it on shutdown.
struct SegmentWriterTask: BackgroundTask {
    let writer: SegmentWriter

    var name: String { "segments:\(writer.configuration.prefix)" }

    func run() async throws {
        await writer.run()
    }

    func shutdown() async {
        try? await writer.close()
    }
}
