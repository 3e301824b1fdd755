/// Turns counts, guardrail metrics and the always-valid state into an `ExperimentSummary` with a decision.
///
/// Order of the rules (first match wins), chosen so that untrustworthy data never ships or rolls back:
/// 1. **SRM** detected → `keep-running`: the split itself is broken, so no effect estimate can be trusted.
/// 2. **Guardrail breached** → `rollback`: an operational regression is reason enough, whatever conversions say.
/// 3. Fewer than `minimumUsersPerVariant` users in a variant, or no defined p-value → `keep-running`.
/// 4. Basis p-value (always-valid by default) below α: treatment better → `ship` if guardrails are `ok`
///    (otherwise `keep-running` until they can be judged); treatment worse → `rollback`.
/// 5. Otherwise `keep-running`, with the MDE and the users still needed.
///
/// With CUPED on (and estimable), rules 3–5 read the CUPED-adjusted difference and its p-values instead of the
/// raw ones (Deng et al. 2013): the same decision with less variance, so it comes sooner.
public enum ExperimentDecision {
    /// Analyses a control/treatment experiment.
    ///
    /// - Parameters:
    ///   - counts: users and conversions per variant in the window; variants missing here count as empty.
    ///   - sequentialCounts: cumulative counts since the experiment started, for the always-valid test (its
    ///     guarantee needs all data since the start, not a sliding window); `nil` uses `counts`.
    ///   - previousState: the `alwaysValidState` of the previous look at this experiment.
    ///   - cuped: per-arm moments of (converted 0/1, pre-period conversions) and the pre-period length, when the
    ///     experiment has CUPED on; `nil` leaves `ExperimentSummary.cuped` nil. When the CUPED estimate has a
    ///     value, the always-valid look (normal mSPRT with σ² = adjusted SE²) and the decision use the adjusted
    ///     difference; like `sequentialCounts`, the moments should cover every rider since the start.
    public static func evaluate(
        definition: ExperimentDefinition, window: AnalysisWindow, counts: [ConversionCounts],
        sequentialCounts: [ConversionCounts]? = nil,
        guardrails: (control: GuardrailMetrics?, treatment: GuardrailMetrics?) = (nil, nil),
        previousState: AlwaysValidState = AlwaysValidState(), policy: DecisionPolicy = DecisionPolicy(),
        cuped: (control: CupedMoments, treatment: CupedMoments, preWindowDays: Int)? = nil
    ) throws(ExperimentsError) -> ExperimentSummary {
        try policy.validate()
        guard definition.variants.count == 2 else { throw .unsupportedVariantCount(definition.variants.count) }
        let ordered = try align(counts, with: definition)
        let sequential =
            try sequentialCounts.map { (counts) throws(ExperimentsError) in
                try align(counts, with: definition)
            } ?? ordered
        let (control, treatment) = (ordered[0], ordered[1])

        let variants = zip(definition.variants, ordered).map { variant, count in
            VariantSummary(
                name: variant.name, weight: variant.weight, users: count.users, conversions: count.conversions,
                conversionRate: count.rate,
                confidenceInterval: WilsonInterval.interval(for: count, alpha: policy.alpha))
        }
        let fixed = TwoProportionTest(control: control, treatment: treatment, alpha: policy.alpha)
        let adjusted = try cupedEstimate(cuped, policy: policy)
        var look = AlwaysValidTest.compute(
            control: sequential[0], treatment: sequential[1], alpha: policy.alpha,
            mixingVariance: policy.mixingVariance)
        // Looks before every arm has the minimum users are not folded in: the normal approximation behind Λ is
        // poor on a handful of users, and skipping early looks only makes the running minimum more conservative.
        var enough = sequential.allSatisfy { $0.users >= policy.minimumUsersPerVariant }
        if let cuped, let estimate = adjusted?.value {
            let variance = estimate.adjustedStandardError * estimate.adjustedStandardError
            look = AlwaysValidTest.compute(
                estimate: estimate.adjusted.estimate, variance: variance, alpha: policy.alpha,
                mixingVariance: policy.mixingVariance)
            enough = min(cuped.control.count, cuped.treatment.count) >= policy.minimumUsersPerVariant
        }
        var state = previousState.updatedWithoutEvidence()
        if enough, let value = look.value { state = previousState.updated(with: value) }
        let srm = SampleRatioMismatch.check(
            users: ordered.map(\.users), weights: definition.variants.map(\.weight), threshold: policy.srmThreshold)
        let guardrailReport = GuardrailReport.evaluate(
            control: guardrails.control, treatment: guardrails.treatment, policy: policy.guardrails)
        let mde = try PowerAnalysis.minimumDetectableEffect(
            control: control, treatment: treatment, alpha: policy.alpha, power: policy.power)
        let needed = try usersNeeded(
            control: control, treatment: treatment, definition: definition, policy: policy)

        let test = TestSummary(
            basis: policy.basis, z: fixed.zTest.value?.z, pValue: fixed.zTest.value?.pValue,
            alwaysValidPValue: state.mixingVariance == nil ? nil : state.pValue, difference: fixed.difference,
            lift: fixed.lift,
            confidenceSequence: look.value?.confidenceSequence
                ?? .insufficientData(
                    reason: look.insufficientDataReason ?? "no data"),
            insufficientData: fixed.zTest.insufficientDataReason)
        let verdict = decide(
            control: control, treatment: treatment, test: test, srm: srm, guardrails: guardrailReport, mde: mde,
            needed: needed, cuped: adjusted?.value, policy: policy)
        return ExperimentSummary(
            experimentId: definition.id, design: .ab, window: window, variants: variants, test: test, srm: srm,
            guardrails: guardrailReport, decision: verdict.decision, reason: verdict.reason,
            minimumDetectableEffect: mde, usersNeeded: needed, cuped: adjusted, alwaysValidState: state)
    }

    /// The CUPED estimate for `cuped`, with the users-needed figures for the policy's target effect.
    private static func cupedEstimate(
        _ cuped: (control: CupedMoments, treatment: CupedMoments, preWindowDays: Int)?, policy: DecisionPolicy
    ) throws(ExperimentsError) -> StatisticResult<CupedEstimate>? {
        guard let cuped else { return nil }
        guard cuped.preWindowDays >= 0 else {
            throw .invalidParameter(name: "preWindowDays", value: Double(cuped.preWindowDays), expected: "≥ 0")
        }
        let effect: Double?
        switch policy.targetEffect {
        case .observed:
            effect =
                cuped.control.count > 0 && cuped.treatment.count > 0
                ? cuped.treatment.meanOutcome - cuped.control.meanOutcome : nil
        case .relative(let lift): effect = cuped.control.count > 0 ? cuped.control.meanOutcome * lift : nil
        case .absolute(let difference): effect = difference
        }
        return CupedEstimate.estimate(
            control: cuped.control, treatment: cuped.treatment, preWindowDays: cuped.preWindowDays,
            alpha: policy.alpha, power: policy.power, targetEffect: effect)
    }

    /// Orders `counts` like the definition's variants; absent variants are empty, unknown ones an error.
    static func align(
        _ counts: [ConversionCounts], with definition: ExperimentDefinition
    ) throws(ExperimentsError) -> [ConversionCounts] {
        let names = definition.variantNames
        guard counts.allSatisfy({ names.contains($0.variant) }), Set(counts.map(\.variant)).count == counts.count
        else { throw .variantsDoNotMatchDefinition(expected: names, got: counts.map(\.variant)) }
        var aligned: [ConversionCounts] = []
        for name in names {
            if let found = counts.first(where: { $0.variant == name }) {
                aligned.append(found)
            } else {
                aligned.append(try ConversionCounts(variant: name, users: 0, conversions: 0))
            }
        }
        return aligned
    }

    private static func usersNeeded(
        control: ConversionCounts, treatment: ConversionCounts, definition: ExperimentDefinition,
        policy: DecisionPolicy
    ) throws(ExperimentsError) -> StatisticResult<SampleSizeEstimate> {
        guard let controlRate = control.rate else { return .insufficientData(reason: "control has no users yet") }
        let effect: Double
        switch policy.targetEffect {
        case .observed:
            guard let treatmentRate = treatment.rate else {
                return .insufficientData(reason: "treatment has no users yet")
            }
            effect = treatmentRate - controlRate
        case .relative(let lift): effect = controlRate * lift
        case .absolute(let difference): effect = difference
        }
        return try PowerAnalysis.usersNeeded(
            baselineRate: controlRate, effect: effect, controlShare: definition.variants[0].weight,
            treatmentShare: definition.variants[1].weight, enrolled: control.users + treatment.users,
            alpha: policy.alpha, power: policy.power)
    }
}
