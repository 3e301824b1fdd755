/// Who placed an item in an interleaved list.
///
/// `both` marks a competitive pair: both rankers' next item was the same, so it was placed once and says nothing
/// about which ranker riders prefer (a conversion on it credits neither arm).
public enum Arm: String, Codable, Sendable, Hashable, CaseIterable {
    /// Placed by the control ranker.
    case control
    /// Placed by the treatment ranker.
    case treatment
    /// Both rankers proposed it in the same round.
    case both
}
