/// How an experiment compares its control with its treatment.
///
/// - `ab`: every rider is assigned to one variant (GrowthBook hashing) and the arms' conversion rates are
///   compared (`ExperimentDecision`).
/// - `interleaving`: every request gets one list merged from both rankers by team-draft interleaving
///   (`TeamDraft`), and each rider's conversions are credited to the ranker that placed the converted items
///   (`InterleavingDecision`). Interleaving needs one to two orders of magnitude fewer riders than an A/B test
///   to rank two rankers (Chapelle, Joachims, Radlinski & Yue, "Large-scale validation and analysis of
///   interleaved search evaluation", ACM TOIS 30(1), 2012), but it only says which ranker riders prefer, not by
///   how much the conversion rate moves.
public enum ExperimentDesign: String, Codable, Sendable, Hashable, CaseIterable {
    /// Riders split between variants; conversion rates compared.
    case ab
    /// Both rankers in every list; per-rider preference compared.
    case interleaving
}
