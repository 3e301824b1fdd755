import CoreMetrics
import Foundation
import Logging
import Scheduler
import Storage

/// Connects the manifest's schedule triggers to the ``ScheduleRunner``: each scheduled function becomes a job whose
/// runs go through the ``FunctionInvoker`` (same handler, timeout, logs and metrics as an HTTP call), retried as the
/// function's ``ScheduleRetryPolicy`` says, as Cloud Scheduler would.
public struct ScheduledFunctions: Sendable {
    /// The runner firing the jobs; run it for the life of the process.
    public let runner: ScheduleRunner

    /// Creates the runner for every function with a schedule.
    public init(
        invoker: FunctionInvoker,
        storage: any ObjectStore,
        clock: any WallClock,
        ownerID: String = ScheduleRunner.makeOwnerID(),
        metricsFactory: any MetricsFactory,
        logger: Logger
    ) throws(SchedulerError) {
        let functions = invoker.manifest.functions.filter { $0.schedule != nil }
        let jobs = functions.compactMap { function in
            function.schedule.map { schedule in
                ScheduledJob(
                    name: function.name,
                    schedule: schedule.cron,
                    timeZone: schedule.timeZone,
                    leaseDuration: Self.leaseDuration(function.timeout, schedule.retry)
                )
            }
        }
        let byName = Dictionary(uniqueKeysWithValues: functions.map { ($0.name, $0) })
        let runs = Dictionary(
            uniqueKeysWithValues: functions.flatMap { function in
                ["succeeded", "failed"].map { status in
                    (
                        "\(function.name)|\(status)",
                        Counter(
                            label: Self.runsMetric, dimensions: [("job", function.name), ("status", status)],
                            factory: metricsFactory)
                    )
                }
            })
        runner = try ScheduleRunner(jobs: jobs, store: storage, clock: clock, ownerID: ownerID, logger: logger) {
            invocation in
            guard let function = byName[invocation.jobName] else { return .failed("no such function") }
            let outcome = await Self.run(function, invocation, invoker: invoker, clock: clock)
            runs["\(function.name)|\(outcome.status == .succeeded ? "succeeded" : "failed")"]?.increment()
            return outcome
        }
    }

    /// Scheduled runs by job and outcome (`succeeded`, `failed`), after retries.
    public static let runsMetric = "rideease_scheduled_job_runs_total"

    /// Whether the manifest schedules anything.
    public var isEmpty: Bool { runner.jobs.isEmpty }

    private static func run(
        _ function: FunctionDeclaration,
        _ invocation: JobInvocation,
        invoker: FunctionInvoker,
        clock: any WallClock
    ) async -> JobOutcome {
        // A person who pressed "run now" sees the failure at once; only the schedule retries unattended.
        let retry =
            invocation.trigger == .manual ? ScheduleRetryPolicy() : function.schedule?.retry ?? ScheduleRetryPolicy()
        var backoff = retry.minBackoff
        var attempt = 0
        while true {
            let request = FunctionRequest(
                method: "POST",
                path: function.httpTriggers.first?.path.description ?? "/",
                headers: ["x-rideease-job-run": invocation.runID],
                trigger: invocation.trigger == .manual ? .manual : .schedule(scheduledFor: invocation.scheduledTime)
            )
            let response = await invoker.invoke(function, request: request, checkAuth: false)
            if response.status < 400 {
                return .succeeded(attempt == 0 ? nil : "succeeded on retry \(attempt)")
            }
            let message =
                "status \(response.status): " + (FunctionError(answer: response)?.message ?? "function failed")
            guard attempt < retry.retryCount, !Task.isCancelled else { return .failed(message) }
            attempt += 1
            do {
                try await clock.sleep(until: clock.now().addingTimeInterval(Self.seconds(backoff)))
            } catch {
                return .failed(message + " (retry cancelled)")
            }
            backoff = min(backoff * 2, retry.maxBackoff)
        }
    }

    /// The run must hold its lease through every attempt and backoff, plus a minute of grace.
    package static func leaseDuration(_ timeout: Duration, _ retry: ScheduleRetryPolicy) -> Duration {
        var total = timeout * (retry.retryCount + 1) + .seconds(60)
        var backoff = retry.minBackoff
        for _ in 0..<retry.retryCount {
            total += backoff
            backoff = min(backoff * 2, retry.maxBackoff)
        }
        return total
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
