/// What replay estimates a target policy would have got on the logged traffic, by two estimators.
///
/// Both are reported because they fail differently: IPS is unbiased but its variance grows with the weights
/// (1/propensity) of rare matches; SNIPS divides by the realised weights per position, trading a bias of order 1/n
/// for much less variance when few matches carry large weights (Swaminathan & Joachims 2015, "The
/// Self-Normalized Estimator for Counterfactual Learning"). A large gap between the two says the matches are few.
public struct ReplayEstimate: Codable, Sendable, Equatable {
    /// Logged requests given.
    public var requests: Int
    /// Requests with at least one slot where target == logged item.
    public var matchedRequests: Int
    /// Slots where target == logged item (with a usable propensity).
    public var matchedSlots: Int
    /// Mean conversions per logged request (what the logging policy got).
    public var loggedRate: Double
    /// Item-position inverse propensity scoring: expected conversions per request under the target.
    public var ips: ReplayInterval
    /// Self-normalised per position: the same quantity, each position's weights normalised to their sum.
    public var snips: ReplayInterval
    /// The confidence level of both intervals (0.95 for 95 %).
    public var confidence: Double

    /// Creates an estimate.
    public init(
        requests: Int, matchedRequests: Int, matchedSlots: Int, loggedRate: Double, ips: ReplayInterval,
        snips: ReplayInterval, confidence: Double
    ) {
        self.requests = requests
        self.matchedRequests = matchedRequests
        self.matchedSlots = matchedSlots
        self.loggedRate = loggedRate
        self.ips = ips
        self.snips = snips
        self.confidence = confidence
    }
}

/// A replay estimate with its standard error and normal confidence interval `value ± z·standardError`.
///
/// Not `EstimateInterval`: that name is taken in this module by the A/B statistics' `{estimate, lower, upper}`
/// (in many answers' JSON already); a replay interval also carries its standard error.
public struct ReplayInterval: Codable, Sendable, Equatable {
    /// The point estimate.
    public var value: Double
    /// Its standard error.
    public var standardError: Double
    /// Lower bound (not clipped: IPS bounds can leave [0, ∞) by sampling noise).
    public var lower: Double
    /// Upper bound.
    public var upper: Double

    /// Creates an interval.
    public init(value: Double, standardError: Double, lower: Double, upper: Double) {
        self.value = value
        self.standardError = standardError
        self.lower = lower
        self.upper = upper
    }

    /// All zeros: no requests.
    public static let zero = ReplayInterval(value: 0, standardError: 0, lower: 0, upper: 0)
}
