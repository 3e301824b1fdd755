import Foundation
import Scheduler
import Yams

/// A function's `schedule`: cron, time zone and Cloud Scheduler's retry policy.
extension ManifestLoader {
    func readSchedule(
        _ node: Node,
        what: String,
        _ defaults: FunctionDefaults,
        _ nodes: inout ManifestNodes
    ) -> ScheduleTrigger? {
        let defaultZone = defaults.timeZone
        let defaultZoneName = defaults.timeZoneName
        // `schedule: "0 2 * * 0"` is shorthand for `schedule: {cron: "0 2 * * 0"}`.
        let pairs: [(key: String, node: Node, value: Node)]
        if node.scalar != nil {
            pairs = [("cron", node, node)]
        } else {
            guard let mapped = nodes.mapping(node, named: what, allowed: Self.scheduleKeys) else { return nil }
            pairs = mapped
        }
        var cron: (String, CronSchedule)?
        var timeZone = defaultZone
        var timeZoneName = defaultZoneName
        var retry = ScheduleRetryPolicy()
        var valid = true
        for pair in pairs {
            switch pair.key {
            case "cron":
                guard let expression = nodes.string(pair.value, named: "cron") else { valid = false; continue }
                do {
                    cron = (expression, try CronSchedule(expression))
                } catch {
                    nodes.report(
                        "schedule \"\(expression)\": \(error.message)",
                        at: pair.value,
                        columnOffset: ManifestNodes.contentOffset(of: pair.value) + error.offset
                    )
                    valid = false
                }
            case "timeZone":
                guard let zone = readTimeZone(pair.value, &nodes) else { valid = false; continue }
                timeZone = zone
                timeZoneName = pair.value.scalar?.string ?? zone.identifier
            default:
                retry = readRetry(pair.value, &nodes)
            }
        }
        if cron == nil && valid {
            nodes.report("\(what) needs a \"cron\" expression", at: node)
        }
        guard valid, let (expression, schedule) = cron else { return nil }
        return ScheduleTrigger(
            expression: expression,
            cron: schedule,
            timeZone: timeZone,
            timeZoneName: timeZoneName,
            retry: retry
        )
    }

    func readRetry(_ node: Node, _ nodes: inout ManifestNodes) -> ScheduleRetryPolicy {
        var retry = ScheduleRetryPolicy()
        for pair in nodes.mapping(node, named: "retry", allowed: Self.retryKeys) ?? [] {
            switch pair.key {
            case "count":
                retry.retryCount = nodes.integer(pair.value, named: "retry count", range: 0...5) ?? 0
            case "minBackoff":
                retry.minBackoff =
                    nodes.duration(pair.value, named: "minBackoff", range: .seconds(0)...(.seconds(3600)))
                    ?? retry.minBackoff
            default:
                retry.maxBackoff =
                    nodes.duration(pair.value, named: "maxBackoff", range: .seconds(0)...(.seconds(3600)))
                    ?? retry.maxBackoff
            }
        }
        if retry.minBackoff > retry.maxBackoff {
            nodes.report("retry minBackoff must not exceed maxBackoff", at: node)
        }
        return retry
    }

    func readTimeZone(_ node: Node, _ nodes: inout ManifestNodes) -> TimeZone? {
        guard let identifier = nodes.string(node, named: "timeZone") else { return nil }
        guard identifier == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(identifier),
            let zone = TimeZone(identifier: identifier)
        else {
            let hint = ManifestValues.suggestion(for: identifier, among: TimeZone.knownTimeZoneIdentifiers)
            nodes.report(
                "time zone \"\(identifier)\" is not an IANA time zone"
                    + (hint.map { "; did you mean \"\($0)\"?" } ?? ""),
                at: node
            )
            return nil
        }
        return zone
    }
}
