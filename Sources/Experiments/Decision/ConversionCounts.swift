/// Users exposed to a variant in the analysis window and how many of them converted (the unit is the user).
public struct ConversionCounts: Codable, Equatable, Hashable, Sendable {
    /// The variant's name.
    public var variant: String
    /// Distinct users exposed.
    public var users: Int
    /// Distinct exposed users with at least one attributed conversion.
    public var conversions: Int

    /// Validates and creates counts: both non-negative, conversions ≤ users.
    public init(variant: String, users: Int, conversions: Int) throws(ExperimentsError) {
        guard users >= 0, conversions >= 0, conversions <= users else {
            throw .invalidCounts(variant: variant, users: users, conversions: conversions)
        }
        self.variant = variant
        self.users = users
        self.conversions = conversions
    }

    private enum CodingKeys: String, CodingKey {
        case variant, users, conversions
    }

    /// Decodes and validates like `init(variant:users:conversions:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            variant: try container.decode(String.self, forKey: .variant),
            users: try container.decode(Int.self, forKey: .users),
            conversions: try container.decode(Int.self, forKey: .conversions))
    }

    /// Observed conversion rate, or `nil` without users.
    public var rate: Double? {
        users > 0 ? Double(conversions) / Double(users) : nil
    }
}

/// A two-sided interval with its point estimate.
public struct EstimateInterval: Codable, Equatable, Hashable, Sendable {
    /// The point estimate.
    public var estimate: Double
    /// Lower bound.
    public var lower: Double
    /// Upper bound.
    public var upper: Double

    /// Creates an interval.
    public init(estimate: Double, lower: Double, upper: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
    }

    /// Whether the interval excludes `value`.
    public func excludes(_ value: Double) -> Bool { value < lower || value > upper }
}
