/// Conversions one rider credited to each arm over the window ("both" items credit neither).
///
/// The unit of an interleaving experiment is the rider, as for A/B tests: a rider who converts many times on one
/// ranker's items counts once, as one win, so heavy users cannot outvote everyone else.
public struct RiderCredit: Codable, Sendable, Hashable {
    /// Conversions on items the control ranker placed.
    public var control: Int
    /// Conversions on items the treatment ranker placed.
    public var treatment: Int
    /// Conversions on items both rankers proposed in the same round (credited to neither).
    public var both: Int

    /// Creates a rider's credits.
    public init(control: Int, treatment: Int, both: Int = 0) {
        self.control = control
        self.treatment = treatment
        self.both = both
    }

    /// What this rider says about the rankers: `treatment`, `control`, `both` (a tie) or `nil` (no conversion).
    public var preference: Arm? {
        let converted = max(control, 0) + max(treatment, 0) + max(both, 0)
        guard converted > 0 else { return nil }
        if treatment > control { return .treatment }
        if control > treatment { return .control }
        return .both
    }
}

/// Requests whose round-0 coin went to each team; expected 50/50 (the interleaving design's sample-ratio check).
public struct FirstPicks: Codable, Sendable, Equatable {
    /// Requests where control picked first.
    public var control: Int
    /// Requests where treatment picked first.
    public var treatment: Int

    /// Creates the counts.
    public init(control: Int, treatment: Int) {
        self.control = control
        self.treatment = treatment
    }
}
