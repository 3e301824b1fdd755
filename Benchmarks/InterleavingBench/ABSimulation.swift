import Experiments
import Recommender

/// What one simulated A/B experiment concluded, raw and with CUPED.
struct ABOutcome: Sendable {
    /// ȳT − ȳC at the end of the window.
    var rawDifference: Double
    /// The CUPED-adjusted difference at the end (`nil` when CUPED had no value).
    var adjustedDifference: Double?
    /// Pooled corr(y, x) CUPED reported at the end.
    var correlation: Double?
    /// Fixed-horizon decisions: the one look at the end of the window, p < α with the sign of the estimate.
    var fixedRaw: Decision
    var fixedCuped: Decision
    /// The first ship/rollback of `ExperimentDecision` over the looks (always-valid basis), else keep-running.
    var alwaysValidRaw: Decision
    var alwaysValidCuped: Decision
    /// The naive dashboard: the fixed-horizon p-value read at every look, first p < α taken (A/A contrast).
    var peekedRaw: Decision
    var peekedCuped: Decision
}

/// One A/B experiment in the world: each exposed rider is randomised 50/50 and served one ranker for the whole
/// window; the outcome is "booked at least once in the window"; the CUPED covariate is the same metric over the
/// pre-period, in which every rider was served the control ranker (riders without pre-period sessions get 0).
///
/// The experiment is looked at `traffic.looks` times; at look k the riders whose first session came before it are
/// exposed and their outcome is what they did up to then, as the dashboard would count it.
struct ABSimulation: Sendable {
    let control: RankedLists
    let treatment: RankedLists
    let traffic: RiderTraffic
    let clicks: CascadeClickModel

    /// Bookings in the sessions of a rider, as the first look that saw one (`Int.max`: never booked).
    private func firstBookingLook(
        rider: Int, sessions: Int, lists: RankedLists, timed: Bool, random: inout SeededGenerator
    ) -> (firstSession: Int, firstBooking: Int) {
        var firstSession = Int.max, firstBooking = Int.max
        let base = rider * lists.depth
        for _ in 0..<sessions {
            let look = timed ? traffic.lookOfSession(using: &random) : 0
            firstSession = min(firstSession, look)
            let booked = clicks.booking(count: lists.depth, using: &random) { lists.probabilities[base + $0] }
            if booked != nil { firstBooking = min(firstBooking, look) }
        }
        return (firstSession, firstBooking)
    }

    func run(riders n: Int, seed: UInt64, policy: DecisionPolicy) throws -> ABOutcome {
        var random = SeededGenerator(seed: seed)
        var arms = [Bool](repeating: false, count: n)  // true: treatment
        var covariates = [Double](repeating: 0, count: n)
        var history = [Bool](repeating: false, count: n)
        var entry = [Int](repeating: 0, count: n)
        var booking = [Int](repeating: 0, count: n)
        var sessions = [Int](repeating: 0, count: n)
        for k in 0..<n {
            let draw = traffic.exposedRider(using: &random)
            arms[k] = random.nextUnit() < 0.5
            let pre = traffic.preWindowSessions(rider: draw.rider, using: &random)
            history[k] = pre > 0
            let before = firstBookingLook(
                rider: draw.rider, sessions: pre, lists: control, timed: false, random: &random)
            covariates[k] = before.firstBooking == Int.max ? 0 : 1
            let during = firstBookingLook(
                rider: draw.rider, sessions: draw.sessions, lists: arms[k] ? treatment : control, timed: true,
                random: &random)
            (entry[k], booking[k], sessions[k]) = (during.firstSession, during.firstBooking, draw.sessions)
        }

        let definition = try ExperimentDefinition(id: "bench")
        let window = try AnalysisWindow(hours: Int(traffic.windowDays * 24))
        var rawState = AlwaysValidState(), cupedState = AlwaysValidState()
        var outcome = ABOutcome(
            rawDifference: 0, fixedRaw: .keepRunning, fixedCuped: .keepRunning, alwaysValidRaw: .keepRunning,
            alwaysValidCuped: .keepRunning, peekedRaw: .keepRunning, peekedCuped: .keepRunning)
        for look in 0..<traffic.looks {
            var users = [0, 0], conversions = [0, 0], requests = [0, 0]
            var moments = [CupedMoments(), CupedMoments()]
            for k in 0..<n where entry[k] <= look {
                let arm = arms[k] ? 1 : 0
                let y = booking[k] <= look ? 1 : 0
                users[arm] += 1
                conversions[arm] += y
                requests[arm] += sessions[k]  // an upper bound at early looks; guardrails only need "enough"
                moments[arm].add(outcome: Double(y), covariate: covariates[k], hasHistory: history[k])
            }
            let counts = [
                try ConversionCounts(variant: "control", users: users[0], conversions: conversions[0]),
                try ConversionCounts(variant: "treatment", users: users[1], conversions: conversions[1]),
            ]
            // Identical, healthy guardrails: this benchmark is about conversions only.
            let health = (
                control: GuardrailMetrics(requests: requests[0], errors: 0, p95LatencyMs: 40),
                treatment: GuardrailMetrics(requests: requests[1], errors: 0, p95LatencyMs: 40)
            )
            let raw = try ExperimentDecision.evaluate(
                definition: definition, window: window, counts: counts, guardrails: health,
                previousState: rawState, policy: policy)
            let cuped = try ExperimentDecision.evaluate(
                definition: definition, window: window, counts: counts, guardrails: health,
                previousState: cupedState, policy: policy,
                cuped: (control: moments[0], treatment: moments[1], preWindowDays: traffic.preWindowDays))
            rawState = raw.alwaysValidState
            cupedState = cuped.alwaysValidState
            if outcome.alwaysValidRaw == .keepRunning { outcome.alwaysValidRaw = raw.decision }
            if outcome.alwaysValidCuped == .keepRunning { outcome.alwaysValidCuped = cuped.decision }
            let estimate = cuped.cuped?.value
            let rawVerdict = Self.verdict(p: raw.test.pValue, effect: raw.test.difference.value?.estimate, policy)
            let cupedVerdict = Self.verdict(p: estimate?.pValue, effect: estimate?.adjusted.estimate, policy)
            if outcome.peekedRaw == .keepRunning { outcome.peekedRaw = rawVerdict }
            if outcome.peekedCuped == .keepRunning { outcome.peekedCuped = cupedVerdict }
            if look == traffic.looks - 1 {
                outcome.fixedRaw = rawVerdict
                outcome.fixedCuped = cupedVerdict
                outcome.rawDifference = raw.test.difference.value?.estimate ?? 0
                outcome.adjustedDifference = estimate?.adjusted.estimate
                outcome.correlation = estimate?.correlation
            }
        }
        return outcome
    }

    /// A fixed-horizon reading: significant at α → the sign decides.
    static func verdict(p: Double?, effect: Double?, _ policy: DecisionPolicy) -> Decision {
        guard let p, let effect, p < policy.alpha, effect != 0 else { return .keepRunning }
        return effect > 0 ? .ship : .rollback
    }
}
