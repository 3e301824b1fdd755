import Experiments
import Foundation

/// The analysis of an interleaving experiment's window, hour by hour: riders who got interleaved lists, each
/// converting rider's win, loss or tie over the window so far, the sign test, the always-valid test on the same
/// wins and losses, SRM on the drafts' first picks, and the decision at each hour's end.
///
/// A rider's outcome compares the conversions they credited to each arm over the whole window (per-rider
/// aggregation, so a heavy rider is one vote), so an hour can turn a rider's earlier win into a tie: the counts are
/// kept per rider and re-derived for the riders an hour touches.
enum InterleavingAnalysis {
    /// Cumulative credits and outcomes of the window so far.
    private struct Window {
        var exposed = UserSet()
        var firstPicks = FirstPicks(control: 0, treatment: 0)
        var credits: [UInt64: RiderCredit] = [:]
        var wins = 0
        var losses = 0
        var ties = 0

        mutating func add(_ hour: HourTally) {
            if let tally = hour.variants[Recommend.interleavedVariant] { exposed.formUnion(tally.exposed) }
            guard let interleaving = hour.interleaving else { return }
            firstPicks.control += interleaving.firstPicks.control
            firstPicks.treatment += interleaving.firstPicks.treatment
            for (rider, credit) in interleaving.credits {
                let before = credits[rider]
                count(before?.preference, by: -1)
                var after = before ?? RiderCredit(control: 0, treatment: 0, both: 0)
                after.control += credit.control
                after.treatment += credit.treatment
                after.both += credit.both
                credits[rider] = after
                count(after.preference, by: 1)
            }
        }

        private mutating func count(_ preference: Arm?, by change: Int) {
            switch preference {
            case .treatment: wins += change
            case .control: losses += change
            case .both: ties += change
            case nil: break
            }
        }

        func counts() throws(ExperimentsError) -> InterleavingCounts {
            try InterleavingCounts(
                exposedRiders: exposed.count, riders: wins + losses + ties, wins: wins, losses: losses, ties: ties,
                firstPicks: firstPicks)
        }
    }

    /// Folds `hours` (oldest first, one per hour of the window) into the timeline and the final summary.
    static func analyse(
        record: ExperimentRecord, hours: [HourTally], now: Date, policy: DecisionPolicy = DecisionPolicy()
    ) throws(ExperimentsError) -> ExperimentAnalysis {
        var window = Window()
        var state = AlwaysValidState()
        var points: [ExperimentTimeline.Point] = []
        var summary: InterleavingSummary?
        let start = hours.first?.hourStart ?? HourTally.hourStart(of: now)
        for (index, hour) in hours.enumerated() {
            window.add(hour)
            let end = min(hour.hourStart.addingTimeInterval(3600), now)
            let look = try InterleavingDecision.evaluate(
                experimentId: record.id, window: try AnalysisWindow(hours: index + 1, start: start, end: end),
                counts: try window.counts(), previousState: state, policy: policy)
            state = look.alwaysValidState
            summary = look
            points.append(
                ExperimentTimeline.Point(
                    hourEnding: end, variants: [],
                    interleaving: ExperimentTimeline.InterleavingPoint(
                        riders: look.riders, wins: look.wins, losses: look.losses, ties: look.ties,
                        preference: look.preference.value?.estimate),
                    cuped: nil, alwaysValidPValue: look.alwaysValidPValue, srmPValue: look.srm.value?.pValue,
                    decision: look.decision))
        }
        guard let summary else { throw .invalidParameter(name: "windowHours", value: 0, expected: "at least 1") }
        return ExperimentAnalysis(
            timeline: ExperimentTimeline(
                experimentId: record.id, design: .interleaving, variants: record.variantNames, points: points),
            report: .interleaving(summary))
    }
}
