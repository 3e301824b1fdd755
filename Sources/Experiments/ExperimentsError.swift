/// Every way the Experiments module rejects its input: invalid definitions, counts or policies.
///
/// The messages are written for the person who wrote the configuration or called the endpoint, so a handler can
/// pass `description` straight into a 400 response.
public enum ExperimentsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The experiment id (or seed) is empty.
    case emptyIdentifier(field: String)
    /// Fewer than two variants were declared.
    case tooFewVariants(count: Int)
    /// Two variants share a name.
    case duplicateVariant(name: String)
    /// A variant name is empty.
    case emptyVariantName(index: Int)
    /// A weight is negative, NaN or infinite.
    case invalidWeight(variant: String, weight: Double)
    /// Weights do not sum to 1 within 1e-9.
    case weightsDoNotSumToOne(sum: Double)
    /// Coverage outside 0...1 (or not finite).
    case invalidCoverage(Double)
    /// A count is negative, or more conversions than users.
    case invalidCounts(variant: String, users: Int, conversions: Int)
    /// A statistical setting (alpha, power, tolerance, mixing variance …) is out of range.
    case invalidParameter(name: String, value: Double, expected: String)
    /// The observed variants do not match the definition (names, order or count).
    case variantsDoNotMatchDefinition(expected: [String], got: [String])
    /// The decision compares exactly one control against one treatment.
    case unsupportedVariantCount(Int)
    /// An interleaving count is negative, or the counts do not add up (`expected` says what they must satisfy).
    case invalidInterleavingCount(name: String, value: Int, expected: String)

    public var description: String {
        switch self {
        case .emptyIdentifier(let field):
            return "\(field) must not be empty"
        case .tooFewVariants(let count):
            return "an experiment needs at least 2 variants, got \(count)"
        case .duplicateVariant(let name):
            return "variant \"\(name)\" is declared twice"
        case .emptyVariantName(let index):
            return "variant #\(index) has an empty name"
        case .invalidWeight(let variant, let weight):
            return "variant \"\(variant)\" has weight \(weight); weights must be finite and non-negative"
        case .weightsDoNotSumToOne(let sum):
            return "variant weights sum to \(sum); they must sum to 1"
        case .invalidCoverage(let coverage):
            return "coverage \(coverage) is out of range 0...1"
        case .invalidCounts(let variant, let users, let conversions):
            return "variant \"\(variant)\": \(conversions) conversions for \(users) users; "
                + "counts must be non-negative and conversions ≤ users"
        case .invalidParameter(let name, let value, let expected):
            return "\(name) = \(value) is invalid; expected \(expected)"
        case .variantsDoNotMatchDefinition(let expected, let got):
            return "observed variants \(got) do not match the experiment's variants \(expected)"
        case .unsupportedVariantCount(let count):
            return "a decision compares a control with one treatment; this experiment has \(count) variants"
        case .invalidInterleavingCount(let name, let value, let expected):
            return "interleaving count \(name) = \(value) is invalid; expected \(expected)"
        }
    }
}
