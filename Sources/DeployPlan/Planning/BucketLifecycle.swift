import Foundation
import FunctionRuntime

/// The manifest's `retention:` as bucket lifecycle rules: Cloud Storage's lifecycle JSON and S3's lifecycle
/// configuration, one Delete/Expiration rule per kind of state under the store's prefix.
///
/// A bucket counts an object's age from its creation, while the scheduled `compact` function counts from the
/// date in its key: an object rewritten later (a day compacted, a segment rewritten by an erasure) lives up to
/// that much longer under the bucket's rule. So the rules are the backstop and the compaction is the policy; both
/// come from the same `retention:` and cannot disagree on the ages.
struct BucketLifecycle: Equatable {
    /// One rule: everything under `prefix` is deleted `days` after it was written.
    struct Rule: Equatable {
        var kind: String
        var prefix: String
        var days: Int
    }

    var rules: [Rule]

    /// The rules for `retention` over the store at `storage` (`gs://bucket/prefix`, `s3://bucket/prefix?…`).
    init(retention: RetentionPolicy, storage: String) {
        let root = Self.keyPrefix(of: storage)
        let kinds: [(String, Int?)] = [
            ("traces", retention.tracesDays), ("events", retention.eventsDays), ("audit", retention.auditDays),
        ]
        rules = kinds.compactMap { kind, days in days.map { Rule(kind: kind, prefix: "\(root)\(kind)/", days: $0) } }
    }

    /// The folder inside the bucket that RideEase's keys start under, with a trailing `/` (empty at the root).
    static func keyPrefix(of storage: String) -> String {
        guard let scheme = storage.range(of: "://") else { return "" }
        let path = storage[scheme.upperBound...].prefix { $0 != "?" }
        let folder = path.drop { $0 != "/" }.drop { $0 == "/" }
        let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : String(folder)
        return trimmed.isEmpty ? "" : trimmed + "/"
    }

    /// `gcloud storage buckets update gs://BUCKET --lifecycle-file=lifecycle-gcs.json`.
    func cloudStorageJSON() throws -> String {
        let rule = rules.map { rule -> [String: Any] in
            ["action": ["type": "Delete"], "condition": ["age": rule.days, "matchesPrefix": [rule.prefix]]]
        }
        return try Self.json(["lifecycle": ["rule": rule]])
    }

    /// `aws s3api put-bucket-lifecycle-configuration --bucket BUCKET --lifecycle-configuration
    /// file://lifecycle-s3.json`.
    func s3JSON() throws -> String {
        let rules = rules.map { rule -> [String: Any] in
            [
                "ID": "rideease-\(rule.kind)", "Status": "Enabled", "Filter": ["Prefix": rule.prefix],
                "Expiration": ["Days": rule.days],
            ]
        }
        return try Self.json(["Rules": rules])
    }

    private static func json(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
