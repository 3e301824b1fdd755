import Foundation

/// The decision an experiment summary recommends; raw values are the API's strings.
public enum Decision: String, Codable, Equatable, Hashable, Sendable {
    /// Treatment is significantly better, no SRM, guardrails fine.
    case ship
    /// Treatment is significantly worse, or a guardrail is breached.
    case rollback
    /// Anything else: not enough evidence yet, or the data cannot be trusted (SRM).
    case keepRunning = "keep-running"
}

/// The analysis window reported back to the caller (`windowHours` is validated to 1…720).
public struct AnalysisWindow: Codable, Equatable, Hashable, Sendable {
    /// Allowed window lengths in hours.
    public static let allowedHours = 1...720

    /// Window length in hours.
    public var hours: Int
    /// Inclusive start, if the caller knows it.
    public var start: Date?
    /// Exclusive end, if the caller knows it.
    public var end: Date?

    /// Validates `hours` against `allowedHours`.
    public init(hours: Int, start: Date? = nil, end: Date? = nil) throws(ExperimentsError) {
        guard Self.allowedHours.contains(hours) else {
            throw .invalidParameter(name: "windowHours", value: Double(hours), expected: "an integer in 1...720")
        }
        self.hours = hours
        self.start = start
        self.end = end
    }
}

/// One variant's row of the summary.
public struct VariantSummary: Codable, Equatable, Sendable {
    /// Variant name.
    public var name: String
    /// Configured weight.
    public var weight: Double
    /// Users exposed in the window.
    public var users: Int
    /// Users who converted in the window.
    public var conversions: Int
    /// conversions / users, `nil` without users.
    public var conversionRate: Double?
    /// Wilson 95% interval of the rate.
    public var confidenceInterval: StatisticResult<EstimateInterval>
}

/// The test section: fixed-horizon z-test and always-valid results side by side.
public struct TestSummary: Codable, Equatable, Sendable {
    /// Which p-value the decision used.
    public var basis: DecisionBasis
    /// Pooled-SE z statistic (treatment − control); `null` when undefined.
    public var z: Double?
    /// Fixed-horizon two-sided p-value; `null` when undefined.
    public var pValue: Double?
    /// Running always-valid p-value (minimum over looks); `null` before any informative look.
    public var alwaysValidPValue: Double?
    /// Difference in rates with its 95% CI.
    public var difference: StatisticResult<EstimateInterval>
    /// Relative lift with its delta-method CI.
    public var lift: StatisticResult<EstimateInterval>
    /// Always-valid confidence sequence for the difference.
    public var confidenceSequence: StatisticResult<EstimateInterval>
    /// Why z / p-values are missing, if they are.
    public var insufficientData: String?

    private enum CodingKeys: String, CodingKey {
        case basis, z, pValue, alwaysValidPValue, difference, lift, confidenceSequence, insufficientData
    }

    /// Encodes missing numbers as explicit `null`, which dashboards handle better than absent keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(basis, forKey: .basis)
        try container.encode(z, forKey: .z)
        try container.encode(pValue, forKey: .pValue)
        try container.encode(alwaysValidPValue, forKey: .alwaysValidPValue)
        try container.encode(difference, forKey: .difference)
        try container.encode(lift, forKey: .lift)
        try container.encode(confidenceSequence, forKey: .confidenceSequence)
        try container.encodeIfPresent(insufficientData, forKey: .insufficientData)
    }
}

/// Everything `GET /experiments/{experimentId}/summary` answers: per-variant stats, tests, SRM, guardrails and
/// the decision with its reason. Field names are the JSON names.
public struct ExperimentSummary: Codable, Equatable, Sendable {
    /// The experiment id.
    public var experimentId: String
    /// Always `.ab` here (interleaving experiments answer an `InterleavingSummary`); encoded so a reader can tell
    /// the two apart, and `.ab` when decoding a summary stored before the field existed.
    public var design: ExperimentDesign
    /// The analysis window.
    public var window: AnalysisWindow
    /// Per-variant stats in definition order (control first).
    public var variants: [VariantSummary]
    /// Test results.
    public var test: TestSummary
    /// Sample-ratio mismatch check.
    public var srm: StatisticResult<SampleRatioMismatch>
    /// Guardrail comparison.
    public var guardrails: GuardrailReport
    /// `ship`, `rollback` or `keep-running`.
    public var decision: Decision
    /// Why, in a sentence or two.
    public var reason: String
    /// Fixed-horizon MDE at the current sample sizes.
    public var minimumDetectableEffect: StatisticResult<DetectableEffect>
    /// Users still needed to detect the target effect.
    public var usersNeeded: StatisticResult<SampleSizeEstimate>
    /// The CUPED-adjusted comparison; `nil` when the experiment has CUPED off. When it has a value, the
    /// always-valid test and the decision use the adjusted difference (the raw z-test stays in `test`).
    public var cuped: StatisticResult<CupedEstimate>?
    /// The always-valid state after this look; the handler persists it and passes it to the next look.
    public var alwaysValidState: AlwaysValidState
}

extension ExperimentSummary {
    private enum CodingKeys: String, CodingKey {
        case experimentId, design, window, variants, test, srm, guardrails, decision, reason
        case minimumDetectableEffect, usersNeeded, cuped, alwaysValidState
    }

    /// Decodes a summary; `design` defaults to `.ab` and `cuped` to `nil` for summaries stored before them.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        experimentId = try container.decode(String.self, forKey: .experimentId)
        design = try container.decodeIfPresent(ExperimentDesign.self, forKey: .design) ?? .ab
        window = try container.decode(AnalysisWindow.self, forKey: .window)
        variants = try container.decode([VariantSummary].self, forKey: .variants)
        test = try container.decode(TestSummary.self, forKey: .test)
        srm = try container.decode(StatisticResult<SampleRatioMismatch>.self, forKey: .srm)
        guardrails = try container.decode(GuardrailReport.self, forKey: .guardrails)
        decision = try container.decode(Decision.self, forKey: .decision)
        reason = try container.decode(String.self, forKey: .reason)
        minimumDetectableEffect = try container.decode(
            StatisticResult<DetectableEffect>.self, forKey: .minimumDetectableEffect)
        usersNeeded = try container.decode(StatisticResult<SampleSizeEstimate>.self, forKey: .usersNeeded)
        cuped = try container.decodeIfPresent(StatisticResult<CupedEstimate>.self, forKey: .cuped)
        alwaysValidState = try container.decode(AlwaysValidState.self, forKey: .alwaysValidState)
    }
}
