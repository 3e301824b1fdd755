import Yams

/// `retention:` — how long traces, events and audit records are kept, as whole days, weeks or years.
extension ManifestLoader {
    static let retentionKeys = ["traces", "events", "audit"]

    func readRetention(_ node: Node, _ nodes: inout ManifestNodes) -> RetentionPolicy {
        var policy = RetentionPolicy()
        for pair in nodes.mapping(node, named: "retention", allowed: Self.retentionKeys) ?? [] {
            let days = readRetentionDays(pair.value, named: "retention.\(pair.key)", &nodes)
            switch pair.key {
            case "traces": policy.tracesDays = days
            case "events": policy.eventsDays = days
            default: policy.auditDays = days
            }
        }
        return policy
    }

    private func readRetentionDays(_ node: Node, named what: String, _ nodes: inout ManifestNodes) -> Int? {
        guard let text = nodes.string(node, named: what) else { return nil }
        guard let days = ManifestValues.days(text) else {
            nodes.report("\(what) \"\(text)\" is not a retention period; write it like 30d, 8w or 5y", at: node)
            return nil
        }
        let allowed = RetentionPolicy.allowedDays
        guard allowed.contains(days) else {
            nodes.report(
                "\(what) \(text) is out of range: keep data at least \(allowed.lowerBound) day and at most "
                    + "\(allowed.upperBound / 365) years (\(allowed.upperBound)d)",
                at: node)
            return nil
        }
        return days
    }
}
