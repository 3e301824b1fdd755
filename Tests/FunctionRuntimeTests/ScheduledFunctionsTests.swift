import Foundation
import FunctionRuntime
import Logging
import MetricsTestKit
import Scheduler
import Storage
import Synchronization
import Testing

@Suite("scheduled functions run through the invoker on a virtual clock")
struct ScheduledFunctionsTests {
    /// Records each invocation's trigger and fails the first `failures` calls.
    final class Recorder: FunctionHandler {
        let calls = Mutex<[FunctionRequest.Trigger]>([])
        let failures: Int

        init(failures: Int = 0) { self.failures = failures }

        func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
            let count = calls.withLock { calls in
                calls.append(request.trigger)
                return calls.count
            }
            if count <= failures { throw FunctionError.unavailable("model store is down") }
            return FunctionResponse()
        }
    }

    struct Fixture {
        let directory: TemporaryDirectory
        let store: FileStore
        let clock: VirtualClock
        let scheduled: ScheduledFunctions

        init(handler: Recorder, retry: ScheduleRetryPolicy = ScheduleRetryPolicy(), auth: AuthPolicy = .adminKey) throws
        {
            directory = try TemporaryDirectory()
            store = try FileStore(root: directory.url)
            clock = VirtualClock(now: Date(timeIntervalSince1970: 1_790_000_000))  // 2026-09-21T14:13:20Z
            let function = FunctionDeclaration(
                name: "train",
                handler: "train",
                httpTriggers: [HTTPTrigger(method: "POST", path: try PathTemplate("/train"))],
                schedule: ScheduleTrigger(
                    expression: "*/5 * * * *",
                    cron: try CronSchedule("*/5 * * * *"),
                    timeZone: TimeZone(identifier: "UTC")!,
                    retry: retry
                ),
                auth: auth
            )
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            let invoker = try FunctionInvoker(
                manifest: FunctionManifest(service: "test", functions: [function]),
                handlers: ["train": handler],
                storage: store,
                clock: clock,
                metricsFactory: TestMetrics(),
                logger: logger,
                environment: [:],
                adminKey: nil
            )
            scheduled = try ScheduledFunctions(
                invoker: invoker, storage: store, clock: clock, ownerID: "test", metricsFactory: TestMetrics(),
                logger: logger)
        }

        func record() async throws -> JobRecord {
            let object = try #require(try await store.get("scheduler/train.json"))
            return try JSONCoding.decoder.decode(JobRecord.self, from: object.data)
        }
    }

    @Test func firesOnScheduleWithoutTheAdminKey() async throws {
        let handler = Recorder()
        let fixture = try Fixture(handler: handler)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await fixture.scheduled.runner.run() }
            try await fixture.clock.waitForSleepers(count: 1)
            fixture.clock.advance(by: .seconds(100))  // 14:15:00, a */5 fire time
            try await fixture.clock.waitForSleepers(count: 1)
            group.cancelAll()
        }
        let fire = Date(timeIntervalSince1970: 1_790_000_100)
        #expect(handler.calls.withLock { $0 } == [.schedule(scheduledFor: fire)])
        let record = try await fixture.record()
        #expect(record.history.first?.status == .succeeded)
        #expect(record.lastScheduledFire == fire)
    }

    @Test func failedRunsAreRetriedWithBackoff() async throws {
        let handler = Recorder(failures: 1)
        let fixture = try Fixture(
            handler: handler,
            retry: ScheduleRetryPolicy(retryCount: 2, minBackoff: .seconds(30), maxBackoff: .seconds(60))
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await fixture.scheduled.runner.run() }
            try await fixture.clock.waitForSleepers(count: 1)
            fixture.clock.advance(by: .seconds(100))
            // The first attempt failed; the retry sleeps 30 s on the clock beside the loop's sleeper.
            try await fixture.clock.waitForSleepers(count: 1)
            #expect(handler.calls.withLock { $0.count } == 1)
            fixture.clock.advance(by: .seconds(30))
            try await fixture.clock.waitForSleepers(count: 1)
            group.cancelAll()
        }
        #expect(handler.calls.withLock { $0.count } == 2)
        let record = try await fixture.record()
        #expect(record.history.first?.status == .succeeded)
        #expect(record.history.first?.message == "succeeded on retry 1")
    }

    @Test func exhaustedRetriesRecordTheError() async throws {
        let handler = Recorder(failures: 10)
        let fixture = try Fixture(handler: handler)
        let run = try await fixture.scheduled.runner.trigger(job: "train")
        #expect(run.status == .failed)
        #expect(run.message == "status 503: model store is down")
        #expect(handler.calls.withLock { $0 } == [.manual])
    }

    @Test func leaseCoversEveryAttemptAndBackoff() {
        let lease = ScheduledFunctions.leaseDuration(
            .seconds(600),
            ScheduleRetryPolicy(retryCount: 2, minBackoff: .seconds(30), maxBackoff: .seconds(45))
        )
        #expect(lease == .seconds(600 * 3 + 30 + 45 + 60))
    }
}
