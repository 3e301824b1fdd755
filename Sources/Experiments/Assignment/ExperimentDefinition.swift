/// One arm of an experiment: a name and the share of covered traffic it receives.
public struct ExperimentVariant: Codable, Equatable, Hashable, Sendable {
    /// The variant's name as reported everywhere (`control`, `treatment`, …).
    public var name: String
    /// Share of the covered traffic in `0...1`; the weights of an experiment sum to 1.
    public var weight: Double

    /// Creates a variant.
    public init(name: String, weight: Double) {
        self.name = name
        self.weight = weight
    }
}

/// A validated experiment: id, hashing seed, weighted variants and coverage.
///
/// Construction validates, so a value of this type always assigns sensibly: at least two uniquely named variants,
/// finite non-negative weights summing to 1 within 1e-9, coverage in `0...1`.
public struct ExperimentDefinition: Codable, Equatable, Hashable, Sendable {
    /// Tolerance on the sum of weights; tight because weights are configuration, not estimates.
    public static let weightSumTolerance = 1e-9

    /// The experiment id (as in `/experiments/{experimentId}/summary`).
    public let id: String
    /// The hashing seed; GrowthBook's default is the experiment key, so ours is the id.
    public let seed: String
    /// The arms in bucket order; the first is the control by convention.
    public let variants: [ExperimentVariant]
    /// Share of users in the experiment; the rest get no variant (GrowthBook shrinks every range by it).
    public let coverage: Double

    /// The usual 50/50 control/treatment split.
    public static let defaultVariants = [
        ExperimentVariant(name: "control", weight: 0.5), ExperimentVariant(name: "treatment", weight: 0.5),
    ]

    /// Validates and creates a definition; `seed` defaults to `id`.
    public init(
        id: String, seed: String? = nil, variants: [ExperimentVariant] = ExperimentDefinition.defaultVariants,
        coverage: Double = 1
    ) throws(ExperimentsError) {
        guard !id.isEmpty else { throw .emptyIdentifier(field: "experiment id") }
        if let seed, seed.isEmpty { throw .emptyIdentifier(field: "seed") }
        guard variants.count >= 2 else { throw .tooFewVariants(count: variants.count) }
        var seen = Set<String>()
        var sum = 0.0
        for (index, variant) in variants.enumerated() {
            guard !variant.name.isEmpty else { throw .emptyVariantName(index: index) }
            guard seen.insert(variant.name).inserted else { throw .duplicateVariant(name: variant.name) }
            guard variant.weight.isFinite, variant.weight >= 0 else {
                throw .invalidWeight(variant: variant.name, weight: variant.weight)
            }
            sum += variant.weight
        }
        guard abs(sum - 1) <= Self.weightSumTolerance else { throw .weightsDoNotSumToOne(sum: sum) }
        guard coverage.isFinite, (0...1).contains(coverage) else { throw .invalidCoverage(coverage) }
        self.id = id
        self.seed = seed ?? id
        self.variants = variants
        self.coverage = coverage
    }

    /// Convenience for `(name, weight)` pairs.
    public init(
        id: String, seed: String? = nil, weights: [(name: String, weight: Double)], coverage: Double = 1
    ) throws(ExperimentsError) {
        try self.init(
            id: id, seed: seed, variants: weights.map { ExperimentVariant(name: $0.name, weight: $0.weight) },
            coverage: coverage)
    }

    private enum CodingKeys: String, CodingKey {
        case id, seed, variants, coverage
    }

    /// Decodes and validates, so a bad configuration file fails with an `ExperimentsError` description.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: try container.decode(String.self, forKey: .id),
            seed: try container.decodeIfPresent(String.self, forKey: .seed),
            variants: try container.decodeIfPresent([ExperimentVariant].self, forKey: .variants)
                ?? Self.defaultVariants,
            coverage: try container.decodeIfPresent(Double.self, forKey: .coverage) ?? 1)
    }

    /// The variant names in bucket order.
    public var variantNames: [String] { variants.map(\.name) }

    /// Half-open bucket ranges `[start, end)` per variant, computed exactly as GrowthBook's `getBucketRanges`
    /// (cumulative weights, each range shrunk to `coverage × weight` from its start) so that floating-point
    /// boundaries agree with the SDKs bit for bit.
    public var bucketRanges: [(start: Double, end: Double)] {
        var cumulative = 0.0
        return variants.map { variant in
            let start = cumulative
            cumulative += variant.weight
            return (start, start + coverage * variant.weight)
        }
    }
}
