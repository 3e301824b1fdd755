import Foundation
import Logging
import Scheduler
import Storage
import Synchronization

/// A FileStore in a fresh temporary folder, removed afterwards: every test gets its own, so tests run in parallel.
func withTemporaryStore(_ body: (FileStore) async throws -> Void) async throws {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("rideease-scheduler-tests-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try await body(FileStore(root: folder))
}

/// Tests assert on records and invocations, not log lines.
let quietLogger = Logger(label: "scheduler-tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Collects every invocation a job's closure receives, from any task.
final class InvocationLog: Sendable {
    private let entries = Mutex<[JobInvocation]>([])

    func append(_ invocation: JobInvocation) {
        entries.withLock { $0.append(invocation) }
    }

    var all: [JobInvocation] {
        entries.withLock { $0 }
    }

    var scheduledTimes: [String] {
        all.map { iso($0.scheduledTime) }
    }
}

/// Runs `runners` in child tasks while `body` drives the clock, then cancels them.
func withRunning(_ runners: [ScheduleRunner], _ body: () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for runner in runners {
            group.addTask { try await runner.run() }
        }
        try await body()
        group.cancelAll()
    }
}

/// A job record straight from the store, as another process would see it.
func storedRecord(_ store: FileStore, _ job: String) async throws -> JobRecord? {
    guard let object = try await store.get("scheduler/\(job).json") else { return nil }
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(JobRecord.self, from: object.data)
}

func job(
    _ name: String, _ expression: String, zone: TimeZone = .gmt, lease: Duration = .seconds(3600)
) throws
    -> ScheduledJob
{
    ScheduledJob(name: name, schedule: try CronSchedule(expression), timeZone: zone, leaseDuration: lease)
}
