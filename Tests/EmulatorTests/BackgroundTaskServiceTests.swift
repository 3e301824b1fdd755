import FunctionRuntime
import Logging
import Offload
import ServiceLifecycle
import Synchronization
import Testing

@testable import Emulator

@Suite("background tasks flush on graceful shutdown, away from the event loops")
struct BackgroundTaskServiceTests {
    final class Buffered: BackgroundTask {
        let name = "buffered"
        let events = Mutex<[String]>([])

        func run() async throws {
            events.withLock { $0.append("run on the CPU pool: \(Offload.cpu.isCurrent)") }
            try await Task.sleep(for: .seconds(3600))
        }

        func shutdown() async {
            events.withLock { $0.append("flush on the CPU pool: \(Offload.cpu.isCurrent)") }
        }
    }

    @Test func gracefulShutdownStopsTheLoopThenFlushesOnce() async throws {
        let task = Buffered()
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: BackgroundTaskService(task: task))],
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while task.events.withLock({ $0.isEmpty }) { await Task.yield() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(
            task.events.withLock { $0 } == [
                "run on the CPU pool: true", "flush on the CPU pool: true",
            ])
    }
}
