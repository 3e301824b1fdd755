extension ExperimentDecision {
    /// Applies the rules listed on `ExperimentDecision` and words the reason.
    static func decide(
        control: ConversionCounts, treatment: ConversionCounts, test: TestSummary,
        srm: StatisticResult<SampleRatioMismatch>, guardrails: GuardrailReport,
        mde: StatisticResult<DetectableEffect>, needed: StatisticResult<SampleSizeEstimate>, cuped: CupedEstimate?,
        policy: DecisionPolicy
    ) -> (decision: Decision, reason: String) {
        if let srm = srm.value, srm.detected {
            return (
                .keepRunning,
                "Sample ratio mismatch (chi-square \(format(srm.chiSquare)), p = \(scientific(srm.pValue)) < "
                    + "\(format(policy.srmThreshold))): users are not split as configured, so the results cannot be "
                    + "trusted; fix assignment or logging before deciding."
                    + (srm.note.map { " \($0)." } ?? "")
            )
        }
        if guardrails.status == .breached {
            let details = guardrails.checks.filter { $0.status == .breached }.map(\.detail)
            return (.rollback, "Guardrail breached: \(details.joined(separator: "; ")).")
        }
        let smallest = min(control.users, treatment.users)
        if smallest < policy.minimumUsersPerVariant {
            return (
                .keepRunning,
                "Collecting data: each variant needs at least \(policy.minimumUsersPerVariant) users before a "
                    + "decision (control \(control.users), treatment \(treatment.users))."
            )
        }
        let label = (cuped == nil ? "" : "CUPED ") + (policy.basis == .alwaysValid ? "always-valid p" : "p")
        let fixedP = cuped?.pValue ?? test.pValue
        let observed = cuped?.adjusted.estimate ?? test.difference.value?.estimate
        guard let p = policy.basis == .alwaysValid ? test.alwaysValidPValue : fixedP,
            let difference = observed ?? treatmentMinusControl(control, treatment)
        else {
            return (.keepRunning, "Not enough information yet: \(test.insufficientData ?? "no defined p-value").")
        }
        let effect =
            (cuped == nil ? "" : "CUPED-adjusted ")
            + describe(difference: difference, lift: cuped == nil ? test.lift.value?.estimate : nil)
        if p < policy.alpha, difference != 0 {
            if difference < 0 {
                return (.rollback, "Treatment converts significantly worse: \(effect), \(label) = \(scientific(p)).")
            }
            if guardrails.status == .ok {
                return (
                    .ship,
                    "Treatment converts significantly better: \(effect), \(label) = \(scientific(p)); "
                        + "no sample ratio mismatch and guardrails within tolerance."
                )
            }
            return (
                .keepRunning,
                "Treatment converts significantly better (\(effect), \(label) = \(scientific(p))) "
                    + "but guardrails could not be evaluated yet."
            )
        }
        var reason = "No significant difference yet: \(effect), \(label) = \(scientific(p)) ≥ \(format(policy.alpha))."
        if let mde = mde.value {
            reason += " Minimum detectable effect now: \(format(mde.absolute * 100)) percentage points."
        }
        if let needed = needed.value {
            reason +=
                " About \(needed.additionalUsers) more users needed to detect "
                + "\(format(needed.effect * 100)) points."
        }
        if let raw = cuped?.usersNeeded.raw, let adjusted = cuped?.usersNeeded.adjusted {
            reason += " With CUPED about \(adjusted) users in total suffice (\(raw) without)."
        }
        return (.keepRunning, reason)
    }

    private static func treatmentMinusControl(_ control: ConversionCounts, _ treatment: ConversionCounts) -> Double? {
        guard let rateC = control.rate, let rateT = treatment.rate else { return nil }
        return rateT - rateC
    }

    private static func describe(difference: Double, lift: Double?) -> String {
        let sign = difference >= 0 ? "+" : ""
        var text = "\(sign)\(format(difference * 100)) percentage points"
        if let lift { text += " (\(lift >= 0 ? "+" : "")\(format(lift * 100))% relative)" }
        return text
    }

    static func scientific(_ value: Double) -> String {
        value >= 0.0001 || value == 0 ? format(value) : String(format: "%.2e", value)
    }
}
