import Foundation
import FunctionRuntime

/// The shadow summary: the experiment's hourly tallies over a window, for the shadow version, merged into totals
/// per variant and rider activity. Riders are unions of hash sets, so a rider shadowed on two instances or in two
/// hours counts once.
enum ShadowAnalysis {
    /// The default and the allowed window, hours.
    static let defaultHours = 24
    static let allowedHours = 1...720

    static func summary(
        experimentId: String, shadow: ShadowDeployment?, windowHours: Int, now: Date, store: TallyStore
    ) async throws -> ShadowSummary {
        let end = min(now, shadow?.endedAt ?? now)
        let lastHour = HourTally.hourStart(of: end)
        let hours = (0..<windowHours).map { lastHour.addingTimeInterval(-3600 * Double($0)) }
        var merged = ShadowTally()
        if let shadow {
            // In hour order, and below in name order: floating-point sums depend on their order, and one summary
            // read twice must give the same figures to the last bit.
            for (_, tally) in try await store.read(hours: hours, now: now).sorted(by: { $0.key < $1.key }) {
                if let versions = tally.shadow?.versions, let variants = versions[shadow.version.description] {
                    merged.merge(ShadowTally(versions: [shadow.version.description: variants]))
                }
            }
        }
        let variants = merged.versions.values.first ?? [:]
        var byActivity: [String: ShadowCounts] = [:]
        var total = ShadowCounts()
        var perVariant: [String: ShadowSummary.Variant] = [:]
        for (variant, activities) in variants.sorted(by: { $0.key < $1.key }) {
            var variantTotal = ShadowCounts()
            for (activity, counts) in activities.sorted(by: { $0.key < $1.key }) {
                variantTotal.merge(counts)
                byActivity[activity, default: ShadowCounts()].merge(counts)
                total.merge(counts)
            }
            perVariant[variant] = ShadowSummary.Variant(
                total: group(variantTotal), activity: activities.mapValues(group))
        }
        return ShadowSummary(
            experimentId: experimentId, shadow: shadow, windowHours: windowHours,
            windowStart: hours.last ?? lastHour, windowEnd: end, total: group(total), variants: perVariant,
            activity: byActivity.mapValues(group))
    }

    static func group(_ counts: ShadowCounts) -> ShadowSummary.Group {
        func share(_ part: Int, of whole: Int) -> Double? { whole > 0 ? Double(part) / Double(whole) : nil }
        let scored = Double(counts.scored)
        return ShadowSummary.Group(
            scored: counts.scored, errors: counts.errors, dropped: counts.dropped,
            errorRate: share(counts.errors, of: counts.scored + counts.errors),
            meanJaccard: counts.scored > 0 ? counts.jaccardSum / scored : nil,
            meanRbo: counts.scored > 0 ? counts.rboSum / scored : nil,
            topItemChangedShare: share(counts.topItemChanged, of: counts.scored),
            riders: counts.riders.count,
            ridersTopItemChangedShare: share(counts.ridersTopItemChanged.count, of: counts.riders.count),
            latencyP50Ms: counts.latency.quantile(0.5), latencyP99Ms: counts.latency.quantile(0.99))
    }
}
