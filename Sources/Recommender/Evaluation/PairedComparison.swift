/// Candidate versus baseline on the same held-out users: the per-user paired difference of NDCG@k
/// (candidate − baseline), its mean, standard error and 95 % confidence interval.
///
/// Pairing removes the between-user variance both models share (some riders are simply easy to predict), so the
/// interval is much narrower than the one from two independent means. The interval is the normal approximation
/// `mean ± 1.96 · SE` with `SE = s / √n` (sample SD of the differences); it is meant for hundreds of users or
/// more, where the t and normal quantiles agree to within a few percent.
public struct PairedComparison: Codable, Sendable, Equatable {
    /// The baseline's version, when it is a registered model.
    public var baselineVersion: String?
    /// Users paired (both models ranked the same held-out item of each).
    public var users: Int
    /// Candidate NDCG@k on these users.
    public var candidateNdcg: Double
    /// Baseline NDCG@k on the same users, refit on the same training data.
    public var baselineNdcg: Double
    /// Mean of candidate − baseline per user (equals `candidateNdcg − baselineNdcg`).
    public var meanDifference: Double
    /// Standard error of ``meanDifference`` (0 for fewer than two users).
    public var standardError: Double
    /// Lower end of the 95 % confidence interval of the mean difference.
    public var lower95: Double
    /// Upper end of the 95 % confidence interval of the mean difference.
    public var upper95: Double

    /// The normal quantile of a two-sided 95 % interval.
    public static let z95 = 1.959_963_984_540_054

    /// Compares per-user values given in the same user order (`candidate[i]` and `baseline[i]` are one user).
    public init(candidate: [Double], baseline: [Double], baselineVersion: String? = nil) throws(RecommenderError) {
        guard candidate.count == baseline.count else {
            throw .invalidConfiguration(
                "paired comparison needs one value per user from each model (\(candidate.count) vs \(baseline.count))")
        }
        let differences = zip(candidate, baseline).map { $0 - $1 }
        let (mean, standardError) = RankingMetrics.meanAndStandardError(differences)
        let n = Double(max(candidate.count, 1))
        self.baselineVersion = baselineVersion
        self.users = candidate.count
        self.candidateNdcg = candidate.reduce(0, +) / n
        self.baselineNdcg = baseline.reduce(0, +) / n
        self.meanDifference = mean
        self.standardError = standardError ?? 0
        self.lower95 = mean - Self.z95 * (standardError ?? 0)
        self.upper95 = mean + Self.z95 * (standardError ?? 0)
    }

    /// Pairs two reports of the same held-out set by user id (users missing from either are left out).
    public init(
        candidate: EvaluationReport, baseline: EvaluationReport, baselineVersion: String? = nil
    ) throws(RecommenderError) {
        var baselineRanks: [String: Int] = [:]
        for row in baseline.rows { baselineRanks[row.userId] = row.rank }
        var candidateValues: [Double] = []
        var baselineValues: [Double] = []
        for row in candidate.rows {
            guard let rank = baselineRanks[row.userId] else { continue }
            candidateValues.append(RankingMetrics.ndcg(rank: row.rank, k: candidate.k))
            baselineValues.append(RankingMetrics.ndcg(rank: rank, k: baseline.k))
        }
        try self.init(candidate: candidateValues, baseline: baselineValues, baselineVersion: baselineVersion)
    }

    /// The gate's rule: refuse when the candidate is *significantly* worse by more than the allowed drop, i.e.
    /// when even the upper end of the 95 % interval of the difference is below `−maxRelativeDrop × baselineNdcg`.
    /// A candidate whose interval reaches the allowed drop is not shown to be worse, so it passes.
    public func refuses(maxRelativeDrop: Double) -> Bool {
        upper95 < -maxRelativeDrop * baselineNdcg
    }
}
