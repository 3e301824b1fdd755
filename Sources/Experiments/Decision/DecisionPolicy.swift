/// What the summary's decision is based on.
public enum DecisionBasis: String, Codable, Equatable, Hashable, Sendable {
    /// The mSPRT's always-valid p-value: safe under continuous monitoring (the default).
    case alwaysValid = "always-valid"
    /// The fixed-horizon z-test: valid only if looked at once, at a sample size fixed in advance.
    case fixedHorizon = "fixed-horizon"
}

/// The effect that "users still needed" is computed for.
public enum TargetEffect: Codable, Equatable, Hashable, Sendable {
    /// The currently observed difference.
    case observed
    /// A relative lift over the control's rate (0.05 = +5%).
    case relative(Double)
    /// An absolute difference in conversion rate (0.01 = one percentage point).
    case absolute(Double)
}

/// Every knob of the decision, with the defaults the issue asks for.
public struct DecisionPolicy: Codable, Equatable, Hashable, Sendable {
    /// Which p-value decides.
    public var basis: DecisionBasis
    /// Significance level (two-sided).
    public var alpha: Double
    /// Power for the MDE and sample-size figures.
    public var power: Double
    /// SRM p-value threshold.
    public var srmThreshold: Double
    /// mSPRT mixing variance τ² (see `AlwaysValidTest`).
    public var mixingVariance: Double
    /// Users each variant needs before any ship/rollback on conversions (the normal approximation behind both
    /// tests is poor on a handful of users).
    public var minimumUsersPerVariant: Int
    /// Guardrail tolerances.
    public var guardrails: GuardrailPolicy
    /// Effect for the "users still needed" figure.
    public var targetEffect: TargetEffect

    /// Creates a policy; see the properties for the defaults' meaning.
    public init(
        basis: DecisionBasis = .alwaysValid, alpha: Double = 0.05, power: Double = 0.8,
        srmThreshold: Double = SampleRatioMismatch.defaultThreshold,
        mixingVariance: Double = AlwaysValidTest.defaultMixingVariance, minimumUsersPerVariant: Int = 100,
        guardrails: GuardrailPolicy = GuardrailPolicy(), targetEffect: TargetEffect = .observed
    ) {
        self.basis = basis
        self.alpha = alpha
        self.power = power
        self.srmThreshold = srmThreshold
        self.mixingVariance = mixingVariance
        self.minimumUsersPerVariant = minimumUsersPerVariant
        self.guardrails = guardrails
        self.targetEffect = targetEffect
    }

    /// Rejects out-of-range settings with a typed error.
    public func validate() throws(ExperimentsError) {
        try PowerAnalysis.validate(alpha: alpha, power: power)
        func check(_ name: String, _ value: Double, _ ok: Bool, _ expected: String) throws(ExperimentsError) {
            guard value.isFinite, ok else { throw .invalidParameter(name: name, value: value, expected: expected) }
        }
        try check("srmThreshold", srmThreshold, srmThreshold > 0 && srmThreshold < 1, "0 < threshold < 1")
        try check("mixingVariance", mixingVariance, mixingVariance > 0, "τ² > 0")
        try check(
            "minimumUsersPerVariant", Double(minimumUsersPerVariant), minimumUsersPerVariant >= 0, "≥ 0")
        try check(
            "maxErrorRateIncrease", guardrails.maxErrorRateIncrease, guardrails.maxErrorRateIncrease >= 0, "≥ 0")
        try check(
            "maxP95LatencyIncrease", guardrails.maxP95LatencyIncrease, guardrails.maxP95LatencyIncrease >= 0, "≥ 0")
        switch targetEffect {
        case .observed: break
        case .relative(let value): try check("targetEffect.relative", value, value != 0, "a non-zero lift")
        case .absolute(let value): try check("targetEffect.absolute", value, value != 0, "a non-zero difference")
        }
    }
}
