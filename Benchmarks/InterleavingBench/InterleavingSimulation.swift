import Experiments
import Recommender

/// What one simulated interleaving experiment concluded.
struct InterleavingOutcome: Sendable {
    /// Sign test at the end of the window, p < α with the side that won more riders.
    var fixed: Decision
    /// The first ship/rollback of `InterleavingDecision` over the looks, else keep-running.
    var alwaysValid: Decision
    /// The sign test read at every look, first p < α taken (the naive dashboard, A/A contrast).
    var peeked: Decision
    /// Final tallies.
    var wins: Int
    var losses: Int
    var ties: Int
}

/// One team-draft interleaving experiment: every session of every exposed rider gets
/// `TeamDraft.interleave(control, treatment)` under its own request id; the rider books through the cascade, and
/// the booking credits the arm that placed the item (`both`: neither). Riders are the unit of the sign test.
///
/// `swapPerRider` makes an exact A/A from two exchangeable rankers: a coin per rider decides which of the two plays
/// control, so P(win) = P(loss) holds by symmetry even if one of the two fits happens to be marginally better.
struct InterleavingSimulation: Sendable {
    let control: RankedLists
    let treatment: RankedLists
    let traffic: RiderTraffic
    let clicks: CascadeClickModel
    var swapPerRider = false

    /// One session's record: the look that first saw it, its round-0 coin and the credited arm (if it booked).
    private struct Session {
        var look: Int
        var firstPick: Arm
        var credit: Arm?
    }

    func run(riders n: Int, seed: UInt64, policy: DecisionPolicy) throws -> InterleavingOutcome {
        var random = SeededGenerator(seed: seed)
        let draftSeed = "bench-\(seed)"
        var sessions: [Session] = []
        var riderStart = [Int](repeating: 0, count: n + 1)
        for k in 0..<n {
            let draw = traffic.exposedRider(using: &random)
            let swapped = swapPerRider && random.nextUnit() < 0.5
            let (a, b) = swapped ? (treatment, control) : (control, treatment)
            let listA = Array(a.list(draw.rider)), listB = Array(b.list(draw.rider))
            for s in 0..<draw.sessions {
                let look = traffic.lookOfSession(using: &random)
                let draft = TeamDraft.interleave(
                    control: listA, treatment: listB, limit: a.depth, seed: draftSeed, requestId: "\(k)-\(s)")
                let booked = clicks.booking(count: draft.items.count, using: &random) { slot in
                    let place = draft.items[slot].item
                    return a.probability(rider: draw.rider, place: place)
                        ?? b.probability(rider: draw.rider, place: place) ?? 0
                }
                sessions.append(
                    Session(look: look, firstPick: draft.firstPick, credit: booked.map { draft.items[$0].arm }))
            }
            riderStart[k + 1] = sessions.count
        }

        let window = try AnalysisWindow(hours: Int(traffic.windowDays * 24))
        var state = AlwaysValidState()
        var outcome = InterleavingOutcome(
            fixed: .keepRunning, alwaysValid: .keepRunning, peeked: .keepRunning, wins: 0, losses: 0, ties: 0)
        var credits: [RiderCredit] = []
        for look in 0..<traffic.looks {
            credits.removeAll(keepingCapacity: true)
            var exposed = 0
            var picks = FirstPicks(control: 0, treatment: 0)
            for k in 0..<n {
                var seen = false
                var credit = RiderCredit(control: 0, treatment: 0, both: 0)
                for session in sessions[riderStart[k]..<riderStart[k + 1]] where session.look <= look {
                    seen = true
                    if session.firstPick == .control { picks.control += 1 } else { picks.treatment += 1 }
                    switch session.credit {
                    case .control?: credit.control += 1
                    case .treatment?: credit.treatment += 1
                    case .both?: credit.both += 1
                    case nil: break
                    }
                }
                if seen { exposed += 1 }
                if credit.control + credit.treatment + credit.both > 0 { credits.append(credit) }
            }
            let counts = InterleavingCounts(exposedRiders: exposed, credits: credits, firstPicks: picks)
            let summary = try InterleavingDecision.evaluate(
                experimentId: "bench", window: window, counts: counts, previousState: state, policy: policy)
            state = summary.alwaysValidState
            if outcome.alwaysValid == .keepRunning { outcome.alwaysValid = summary.decision }
            let fixed = Self.verdict(wins: counts.wins, losses: counts.losses, policy)
            if outcome.peeked == .keepRunning { outcome.peeked = fixed }
            if look == traffic.looks - 1 {
                outcome.fixed = fixed
                (outcome.wins, outcome.losses, outcome.ties) = (counts.wins, counts.losses, counts.ties)
            }
        }
        return outcome
    }

    /// The exact sign test at α, the side with more riders deciding.
    static func verdict(wins: Int, losses: Int, _ policy: DecisionPolicy) -> Decision {
        guard let p = SignTest.pValue(wins: wins, losses: losses).value, p < policy.alpha, wins != losses else {
            return .keepRunning
        }
        return wins > losses ? .ship : .rollback
    }
}
