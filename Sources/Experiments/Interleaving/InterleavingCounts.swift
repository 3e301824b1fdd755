/// What the window holds: per-rider outcomes and first picks.
///
/// A rider is a *win* when more of their conversions were on treatment's items than on control's, a *loss* for
/// the reverse, and a *tie* when equal (including riders who converted only on `both` items) — the wins / losses /
/// ties aggregation of Chapelle, Joachims, Radlinski & Yue (ACM TOIS 30(1), 2012), with riders as the unit.
public struct InterleavingCounts: Codable, Sendable, Equatable {
    /// Riders who got at least one interleaved list.
    public var exposedRiders: Int
    /// Riders with at least one attributed conversion (wins + losses + ties).
    public var riders: Int
    /// Riders whose treatment credits exceed their control credits.
    public var wins: Int
    /// Riders whose control credits exceed their treatment credits.
    public var losses: Int
    /// Riders with equal credits.
    public var ties: Int
    /// Requests whose round-0 coin went to each team.
    public var firstPicks: FirstPicks

    /// Tallies riders from their credits; riders without any conversion are not counted (they say nothing about
    /// the rankers). Negative credits count as zero conversions.
    public init(exposedRiders: Int, credits: some Sequence<RiderCredit>, firstPicks: FirstPicks) {
        var wins = 0
        var losses = 0
        var ties = 0
        for credit in credits {
            switch credit.preference {
            case .treatment?: wins += 1
            case .control?: losses += 1
            case .both?: ties += 1
            case nil: break
            }
        }
        self.exposedRiders = exposedRiders
        self.riders = wins + losses + ties
        self.wins = wins
        self.losses = losses
        self.ties = ties
        self.firstPicks = firstPicks
    }

    /// Validates and creates counts: every count non-negative and `riders == wins + losses + ties`.
    ///
    /// `riders ≤ exposedRiders` is deliberately not required: exposures and attributed conversions may be tallied
    /// over different windows (a conversion in the window can come from a list served just before it).
    public init(
        exposedRiders: Int, riders: Int, wins: Int, losses: Int, ties: Int, firstPicks: FirstPicks
    ) throws(ExperimentsError) {
        let named = [
            ("exposedRiders", exposedRiders), ("riders", riders), ("wins", wins), ("losses", losses), ("ties", ties),
            ("firstPicks.control", firstPicks.control), ("firstPicks.treatment", firstPicks.treatment),
        ]
        for (name, value) in named where value < 0 {
            throw .invalidInterleavingCount(name: name, value: value, expected: "a non-negative count")
        }
        let (decided, overflow) = wins.addingReportingOverflow(losses)
        let (sum, overflowAgain) = decided.addingReportingOverflow(ties)
        guard !overflow, !overflowAgain, sum == riders else {
            throw .invalidInterleavingCount(
                name: "riders", value: riders, expected: "wins + losses + ties (\(wins) + \(losses) + \(ties))")
        }
        self.exposedRiders = exposedRiders
        self.riders = riders
        self.wins = wins
        self.losses = losses
        self.ties = ties
        self.firstPicks = firstPicks
    }

    private enum CodingKeys: String, CodingKey {
        case exposedRiders, riders, wins, losses, ties, firstPicks
    }

    /// Decodes and validates like `init(exposedRiders:riders:wins:losses:ties:firstPicks:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            exposedRiders: try container.decode(Int.self, forKey: .exposedRiders),
            riders: try container.decode(Int.self, forKey: .riders),
            wins: try container.decode(Int.self, forKey: .wins),
            losses: try container.decode(Int.self, forKey: .losses),
            ties: try container.decode(Int.self, forKey: .ties),
            firstPicks: try container.decode(FirstPicks.self, forKey: .firstPicks))
    }
}
