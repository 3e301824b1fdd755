/// Operational health of one variant in the window: requests, failed requests and p95 latency.
public struct GuardrailMetrics: Codable, Equatable, Hashable, Sendable {
    /// Prediction requests served.
    public var requests: Int
    /// Requests that failed.
    public var errors: Int
    /// 95th percentile latency in milliseconds, if measured.
    public var p95LatencyMs: Double?

    /// Creates metrics.
    public init(requests: Int, errors: Int, p95LatencyMs: Double?) {
        self.requests = requests
        self.errors = errors
        self.p95LatencyMs = p95LatencyMs
    }
}

/// How much worse than control the treatment may be before it is rolled back.
public struct GuardrailPolicy: Codable, Equatable, Hashable, Sendable {
    /// Allowed absolute increase of the error rate (0.01 = one percentage point).
    public var maxErrorRateIncrease: Double
    /// Allowed relative increase of p95 latency (0.2 = +20%).
    public var maxP95LatencyIncrease: Double
    /// Requests needed in each variant before a guardrail is judged at all, so noise cannot roll back.
    public var minimumRequests: Int

    /// Creates a policy; defaults are +1 percentage point of errors, +20% p95, 200 requests per variant.
    public init(maxErrorRateIncrease: Double = 0.01, maxP95LatencyIncrease: Double = 0.2, minimumRequests: Int = 200) {
        self.maxErrorRateIncrease = maxErrorRateIncrease
        self.maxP95LatencyIncrease = maxP95LatencyIncrease
        self.minimumRequests = minimumRequests
    }
}

/// Outcome of one guardrail or of all of them.
public enum GuardrailStatus: String, Codable, Equatable, Hashable, Sendable {
    /// Within tolerance.
    case ok
    /// Materially worse than control.
    case breached
    /// Not enough data (or no metrics) to judge.
    case notEvaluated = "not-evaluated"
}

/// One guardrail's comparison.
public struct GuardrailCheck: Codable, Equatable, Hashable, Sendable {
    /// `errorRate` or `p95LatencyMs`.
    public var name: String
    /// Control's value.
    public var control: Double?
    /// Treatment's value.
    public var treatment: Double?
    /// The largest treatment value that is still fine.
    public var limit: Double?
    /// The verdict.
    public var status: GuardrailStatus
    /// A sentence for people.
    public var detail: String
}

/// All guardrails of a treatment against its control.
public struct GuardrailReport: Codable, Equatable, Hashable, Sendable {
    /// `breached` if any check is, else `ok` if all are, else `not-evaluated`.
    public var status: GuardrailStatus
    /// The individual checks.
    public var checks: [GuardrailCheck]

    /// Compares treatment with control.
    ///
    /// Error rate: breached when the observed increase exceeds the tolerance **and** the increase is itself
    /// statistically credible (lower bound of the 95% Wald interval of `eT − eC` above 0), so a handful of
    /// unlucky requests cannot roll back a good model. p95 latency: breached when `p95T > p95C·(1 + tolerance)`;
    /// percentiles are judged only after `minimumRequests` in each arm, which keeps their noise small.
    public static func evaluate(
        control: GuardrailMetrics?, treatment: GuardrailMetrics?, policy: GuardrailPolicy = GuardrailPolicy()
    ) -> GuardrailReport {
        guard let control, let treatment else {
            return GuardrailReport(
                status: .notEvaluated,
                checks: [
                    GuardrailCheck(
                        name: "errorRate", status: .notEvaluated, detail: "no guardrail metrics were provided")
                ])
        }
        guard control.requests >= max(1, policy.minimumRequests), treatment.requests >= max(1, policy.minimumRequests)
        else {
            return GuardrailReport(
                status: .notEvaluated,
                checks: [
                    GuardrailCheck(
                        name: "errorRate", status: .notEvaluated,
                        detail: "need \(policy.minimumRequests) requests per variant, have \(control.requests) "
                            + "(control) and \(treatment.requests) (treatment)")
                ])
        }
        var checks = [errorRateCheck(control: control, treatment: treatment, policy: policy)]
        if let latencyC = control.p95LatencyMs, let latencyT = treatment.p95LatencyMs, latencyC.isFinite,
            latencyT.isFinite, latencyC >= 0, latencyT >= 0
        {
            let limit = latencyC * (1 + policy.maxP95LatencyIncrease)
            let breached = latencyT > limit
            checks.append(
                GuardrailCheck(
                    name: "p95LatencyMs", control: latencyC, treatment: latencyT, limit: limit,
                    status: breached ? .breached : .ok,
                    detail: breached
                        ? "treatment p95 latency \(format(latencyT)) ms exceeds \(format(limit)) ms "
                            + "(control \(format(latencyC)) ms + \(format(policy.maxP95LatencyIncrease * 100))%)"
                        : "treatment p95 latency within tolerance"))
        }
        let statuses = checks.map(\.status)
        let status: GuardrailStatus =
            statuses.contains(.breached) ? .breached : statuses.allSatisfy { $0 == .ok } ? .ok : .notEvaluated
        return GuardrailReport(status: status, checks: checks)
    }

    private static func errorRateCheck(
        control: GuardrailMetrics, treatment: GuardrailMetrics, policy: GuardrailPolicy
    ) -> GuardrailCheck {
        let nC = Double(control.requests)
        let nT = Double(treatment.requests)
        let eC = min(1, max(0, Double(control.errors) / nC))
        let eT = min(1, max(0, Double(treatment.errors) / nT))
        let limit = eC + policy.maxErrorRateIncrease
        let lowerBound = (eT - eC) - NormalDistribution.z975 * (eT * (1 - eT) / nT + eC * (1 - eC) / nC).squareRoot()
        let breached = eT > limit && lowerBound > 0
        return GuardrailCheck(
            name: "errorRate", control: eC, treatment: eT, limit: limit, status: breached ? .breached : .ok,
            detail: breached
                ? "treatment error rate \(format(eT * 100))% exceeds control \(format(eC * 100))% "
                    + "+ \(format(policy.maxErrorRateIncrease * 100)) points"
                : "treatment error rate within tolerance")
    }
}

/// Short human formatting for reasons: up to 4 significant decimals, no trailing noise.
func format(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e12 else { return "\(value)" }
    let rounded = (value * 10_000).rounded() / 10_000
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
