import Foundation

/// Fire times in an IANA time zone, and what happens when daylight saving time skips or repeats wall-clock time.
///
/// A schedule is evaluated on the zone's wall clock (as `cron` and Google Cloud Scheduler do). Most days every
/// wall-clock minute exists exactly once. On the two transition days we follow Vixie cron / cronie, whose
/// `cron(8)` manual says: when the clock moves forward, "those jobs which would have run in the time that was
/// skipped will be run soon after the change"; when it moves back, "those jobs that fall into the repeated time
/// will not be re-run"; and "only jobs that run at a particular time (not specified as @hourly, nor with '*' in the
/// hour or minute specifier) are affected. Jobs which are specified with wildcards are run based on the new time
/// immediately." Cloud Scheduler documents only that it "runs on wall clock time" and that jobs in a repeated hour
/// "may observe execution anomalies", so cronie is the precise reference. Concretely:
///
/// - **Fixed-time jobs** (neither the minute nor the hour field starts with `*`; `@daily` etc. included):
///   - a time inside a spring-forward gap fires once, at the first instant after the gap (`30 2 * * *` in
///     America/New_York on 2026-03-08 fires at 03:00 EDT); several gap times still fire once;
///   - a time inside a fall-back repeat fires once, at its first occurrence (`30 1 * * *` on 2026-11-01 fires at
///     01:30 EDT, not again at 01:30 EST).
/// - **Wildcard jobs** (`*/15 * * * *`, `0 * * * *`, `@hourly`, `*/5 2 * * *`) follow the wall clock: times in a
///   gap do not exist and are skipped; times in a repeated hour fire in both passes. A `*/15` job therefore keeps
///   firing every 15 real minutes through both transitions, each instant once (01:45 EST → 03:00 EDT in spring;
///   01:00, 01:15 … EDT then 01:00, 01:15 … EST in autumn). A job like `*/5 2 * * *` does not run on a
///   spring-forward day whose 02:00-02:59 is skipped, exactly as in cronie.
///
/// Cronie only applies its special handling to clock changes of less than 3 hours; we apply it to every offset
/// change in the zone's rules, which gives the same results for every real DST change.
extension CronSchedule {
    /// How far ahead a search goes before concluding the schedule never fires: 8 years (plus leap days) covers the
    /// longest gap between two February 29ths (2096 → 2104).
    static let searchHorizon = 8 * 366 * 86_400

    /// The first fire time strictly after `date`, evaluated on the wall clock of `timeZone`, or `nil` when the
    /// schedule has no fire time within 8 years (for example `0 0 31 2 *`). See the type's notes for DST.
    public func nextFireDate(after date: Date, in timeZone: TimeZone) -> Date? {
        let seconds = date.timeIntervalSince1970
        // Beyond ±10,000 years (or NaN) there is nothing sensible to compute; refuse rather than trap.
        guard seconds.isFinite, abs(seconds) < 315_000_000_000 else { return nil }
        let after = Int(seconds.rounded(.down))  // fire times are whole seconds: "> date" is "> floor(date)"
        return nextFireSecond(after: after, in: timeZone).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// The next `count` fire times after `date` in `timeZone`, fewer if the schedule runs out within the horizon.
    public func nextFireDates(after date: Date, count: Int, in timeZone: TimeZone) -> [Date] {
        var dates: [Date] = []
        var cursor = date
        while dates.count < count, let next = nextFireDate(after: cursor, in: timeZone) {
            dates.append(next)
            cursor = next
        }
        return dates
    }

    /// Walks the zone's intervals of constant UTC offset: inside one, wall-clock time maps one-to-one onto
    /// instants, so the first local match is the answer; between two, the transition decides (see type notes).
    private func nextFireSecond(after: Int, in zone: TimeZone) -> Int? {
        let horizon = after + Self.searchHorizon
        var cursor = after
        var isFirstInterval = true
        // Where the current interval began, if a transition happened recently enough to matter.
        var intervalStart = lastTransition(atOrBefore: after, within: 2 * 86_400, in: zone)
        // Real zones change offset at most a few times a year; the cap only guards against absurd zone data.
        for _ in 0..<1000 {
            let offset = offsetAt(cursor, zone)
            let end = nextTransition(after: cursor, in: zone).flatMap { $0 <= horizon ? $0 : nil }
            let local = cursor + offset
            var from = isFirstInterval ? CivilTime.floorDiv(local, 60) * 60 + 60 : ceilToMinute(local)
            if !isWildcardTime, let start = intervalStart {
                // After a fall-back, the first part of this interval repeats wall-clock time that the previous
                // interval already covered: fixed-time jobs ran at the first occurrence, so skip the repeat.
                let previousOffset = offsetAt(start - 1, zone)
                if previousOffset > offset { from = max(from, ceilToMinute(start + previousOffset)) }
            }
            let limit = (end ?? horizon + 1) + offset
            if let match = nextLocalMatch(from: from, before: limit) {
                return match - offset
            }
            guard let transition = end else { return nil }
            let nextOffset = offsetAt(transition, zone)
            if !isWildcardTime && nextOffset > offset
                && nextLocalMatch(from: ceilToMinute(transition + offset), before: transition + nextOffset) != nil
            {
                // A spring-forward gap swallowed a fire time: run it at the first instant after the gap.
                return transition
            }
            intervalStart = transition
            cursor = transition
            isFirstInterval = false
        }
        return nil
    }

    private func offsetAt(_ second: Int, _ zone: TimeZone) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(second)))
    }

    private func ceilToMinute(_ local: Int) -> Int {
        CivilTime.floorDiv(local + 59, 60) * 60
    }

    /// The zone's next offset change strictly after `second` (Foundation reports every transition, not only DST).
    private func nextTransition(after second: Int, in zone: TimeZone) -> Int? {
        guard let date = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(second)))
        else { return nil }
        let transition = Int(date.timeIntervalSince1970.rounded())
        return transition > second ? transition : nil
    }

    private func lastTransition(atOrBefore second: Int, within window: Int, in zone: TimeZone) -> Int? {
        var last: Int?
        var cursor = second - window
        while let next = nextTransition(after: cursor, in: zone), next <= second {
            last = next
            cursor = next
        }
        return last
    }
}
