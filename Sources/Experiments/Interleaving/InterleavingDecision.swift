/// Turns interleaving counts and the always-valid state into an `InterleavingSummary` with a decision.
public enum InterleavingDecision {
    /// Rules, first match wins: SRM on first picks → keep-running; fewer than policy.minimumUsersPerVariant
    /// riders (wins+losses+ties) → keep-running; always-valid p ≤ α → ship if wins > losses, rollback if
    /// losses > wins; otherwise keep-running (reason says how far).
    ///
    /// The always-valid look (`InterleavingAlwaysValidTest`, Beta(a, a) mixture with the default prior) is folded
    /// into `previousState` at every look with a decisive rider: its Λ is exact, not a normal approximation, so no
    /// minimum is needed for validity. As for A/B tests, `counts` should be cumulative since the experiment
    /// started for that guarantee. `policy.basis = .fixedHorizon` decides on the sign test instead (valid only
    /// when looked at once). Guardrails are not part of this design's summary.
    public static func evaluate(
        experimentId: String, window: AnalysisWindow, counts: InterleavingCounts,
        previousState: AlwaysValidState = AlwaysValidState(), policy: DecisionPolicy = DecisionPolicy()
    ) throws(ExperimentsError) -> InterleavingSummary {
        try policy.validate()
        guard !experimentId.isEmpty else { throw .emptyIdentifier(field: "experiment id") }
        // The fields are public and mutable, so check them again rather than trust the initialiser ran.
        let counts = try InterleavingCounts(
            exposedRiders: counts.exposedRiders, riders: counts.riders, wins: counts.wins, losses: counts.losses,
            ties: counts.ties, firstPicks: counts.firstPicks)

        let signTest = SignTest.pValue(wins: counts.wins, losses: counts.losses)
        var state = previousState.updatedWithoutEvidence()
        if counts.wins + counts.losses > 0,
            let look = InterleavingAlwaysValidTest.compute(wins: counts.wins, losses: counts.losses)
        {
            state = previousState.updated(pValue: look.pValue, mixingVariance: look.mixingVariance)
        }
        let alwaysValidPValue = state.mixingVariance == nil ? nil : state.pValue
        let srm = SampleRatioMismatch.check(
            users: [counts.firstPicks.control, counts.firstPicks.treatment], weights: [0.5, 0.5],
            threshold: policy.srmThreshold)
        let verdict = decide(
            counts: counts, pValue: policy.basis == .alwaysValid ? alwaysValidPValue : signTest.value, srm: srm,
            policy: policy)
        return InterleavingSummary(
            experimentId: experimentId, design: .interleaving, window: window, exposedRiders: counts.exposedRiders,
            riders: counts.riders, wins: counts.wins, losses: counts.losses, ties: counts.ties,
            preference: InterleavingSummary.preference(
                wins: counts.wins, losses: counts.losses, ties: counts.ties, alpha: policy.alpha),
            pValue: signTest.value, alwaysValidPValue: alwaysValidPValue, srm: srm, firstPicks: counts.firstPicks,
            decision: verdict.decision, reason: verdict.reason, alwaysValidState: state)
    }

    /// Applies the rules of `evaluate` and words the reason.
    static func decide(
        counts: InterleavingCounts, pValue: Double?, srm: StatisticResult<SampleRatioMismatch>, policy: DecisionPolicy
    ) -> (decision: Decision, reason: String) {
        if let srm = srm.value, srm.detected {
            return (
                .keepRunning,
                "First-pick mismatch (control \(counts.firstPicks.control), treatment \(counts.firstPicks.treatment); "
                    + "chi-square p = \(ExperimentDecision.scientific(srm.pValue)) < \(format(policy.srmThreshold))): the draft "
                    + "coin is not fair or lists are lost for one team, so preferences cannot be trusted."
            )
        }
        if counts.riders < policy.minimumUsersPerVariant {
            return (
                .keepRunning,
                "Collecting data: \(counts.riders) of the \(policy.minimumUsersPerVariant) riders with a "
                    + "conversion needed before a decision."
            )
        }
        let label = policy.basis == .alwaysValid ? "always-valid p" : "sign-test p"
        let split =
            "\(counts.wins) riders preferred treatment, \(counts.losses) control, \(counts.ties) tied"
        guard let p = pValue else {
            return (.keepRunning, "No rider preferred either ranker yet (\(counts.ties) tied).")
        }
        if p <= policy.alpha, counts.wins != counts.losses {
            let better = counts.wins > counts.losses
            return (
                better ? .ship : .rollback,
                "Riders prefer \(better ? "treatment" : "control"): \(split), \(label) = \(ExperimentDecision.scientific(p)) "
                    + "≤ \(format(policy.alpha))."
            )
        }
        let decisive = counts.wins + counts.losses
        let share =
            decisive > 0
            ? " (\(format(100 * Double(counts.wins) / Double(decisive)))% of decisive riders "
                + "prefer treatment)" : ""
        return (
            .keepRunning,
            "No significant preference yet: \(split)\(share), \(label) = \(format(p)) > \(format(policy.alpha))."
        )
    }
}
