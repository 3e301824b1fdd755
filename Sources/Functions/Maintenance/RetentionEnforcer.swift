import Foundation
import FunctionRuntime
import Logging
import Storage

/// Deletes what the manifest's `retention:` says is too old: event and trace objects by the UTC day in their key,
/// audit records by the time stamped in their key.
///
/// An event or trace object (small segment, daily file, index) goes once its whole day is at least the retention
/// old: with `events: 400d`, today's run deletes the days before today minus 400 days. The key's date decides, not
/// the object's modification time, so an erasure that rewrites a segment does not restart its age (and a virtual
/// clock decides in tests). Audit records without a parseable stamp fall back to their modification time.
struct RetentionEnforcer: Sendable {
    /// What one run deleted, per kind.
    struct Report: Codable, Sendable, Hashable {
        var events = 0
        var traces = 0
        var audit = 0
    }

    let store: any ObjectStore
    let policy: RetentionPolicy
    let logger: Logger

    /// Deletes everything past its retention at `now`.
    func run(now: Date) async throws -> Report {
        var report = Report()
        if let days = policy.eventsDays {
            report.events = try await deleteDays(of: "events", olderThan: days, now: now)
        }
        if let days = policy.tracesDays {
            report.traces = try await deleteDays(of: "traces", olderThan: days, now: now)
        }
        if let days = policy.auditDays { report.audit = try await deleteAudit(olderThan: days, now: now) }
        return report
    }

    /// The first UTC day kept when keeping `days` days at `now`.
    static func firstKeptDay(days: Int, now: Date) -> String {
        let today = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return SegmentKey.day(of: Date(timeIntervalSince1970: today - Double(days) * 86_400))
    }

    private func deleteDays(of prefix: String, olderThan days: Int, now: Date) async throws -> Int {
        let firstKept = Self.firstKeptDay(days: days, now: now)
        var deleted = 0
        var token: String?
        // Keys list in day order: stop at the first kept day instead of listing the whole retained history.
        listing: repeat {
            let page = try await store.list(prefix: prefix + "/", continuationToken: token, maxKeys: 1000)
            for object in page.objects {
                guard let key = SegmentKey(object.key, prefix: prefix) else { continue }
                guard key.day < firstKept else { break listing }
                try await store.delete(object.key)
                deleted += 1
            }
            token = page.continuationToken
        } while token != nil
        if deleted > 0 {
            logger.info(
                "retention deleted old segments",
                metadata: ["prefix": "\(prefix)", "objects": "\(deleted)", "before": "\(firstKept)"])
        }
        return deleted
    }

    private func deleteAudit(olderThan days: Int, now: Date) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
        var expired: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "audit/", continuationToken: token, maxKeys: 1000)
            for object in page.objects {
                guard let at = AuditStamp.date(inKey: object.key) ?? object.lastModified, at < cutoff else { continue }
                expired.append(object.key)
            }
            token = page.continuationToken
        } while token != nil
        for key in expired { try await store.delete(key) }
        if !expired.isEmpty {
            logger.info("retention deleted old audit records", metadata: ["objects": "\(expired.count)"])
        }
        return expired.count
    }
}
