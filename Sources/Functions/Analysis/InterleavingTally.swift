import Experiments
import Foundation

/// What an interleaving experiment adds to an hour's tally: the first picks of its drafts (checked for SRM) and
/// the conversions each rider credited to each arm. Exposures, requests and latencies go in the hour's
/// `interleaved` variant tally like any variant's.
///
/// Riders are 64-bit hashes (``UserSet/hash(_:)``), never ids. Merging sums, so parts from many instances and
/// hours combine in any order; a rider's win, loss or tie is decided only over the whole window.
struct InterleavingTally: Sendable, Equatable {
    var firstPicks = FirstPicks(control: 0, treatment: 0)
    var credits: [UInt64: RiderCredit] = [:]

    mutating func pick(_ arm: Arm) {
        if arm == .treatment { firstPicks.treatment += 1 } else { firstPicks.control += 1 }
    }

    mutating func credit(rider: UInt64, arm: Arm) {
        var credit = credits[rider] ?? RiderCredit(control: 0, treatment: 0, both: 0)
        switch arm {
        case .control: credit.control += 1
        case .treatment: credit.treatment += 1
        case .both: credit.both += 1
        }
        credits[rider] = credit
    }

    mutating func merge(_ other: InterleavingTally) {
        firstPicks.control += other.firstPicks.control
        firstPicks.treatment += other.firstPicks.treatment
        for (rider, credit) in other.credits {
            var sum = credits[rider] ?? RiderCredit(control: 0, treatment: 0, both: 0)
            sum.control += credit.control
            sum.treatment += credit.treatment
            sum.both += credit.both
            credits[rider] = sum
        }
    }
}

extension InterleavingTally: Codable {
    /// `{"firstPicks","riders":<UserSet>,"control":[…],"treatment":[…],"both":[…]}`: the credit columns are in the
    /// riders' sorted order, so an hour stays compact and encodes the same way every time.
    private enum Key: String, CodingKey { case firstPicks, riders, control, treatment, both }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        firstPicks = try container.decode(FirstPicks.self, forKey: .firstPicks)
        let riders = try container.decode(UserSet.self, forKey: .riders).hashes
        let columns = try [Key.control, .treatment, .both].map { try container.decode([Int].self, forKey: $0) }
        guard columns.allSatisfy({ $0.count == riders.count }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .riders, in: container, debugDescription: "one credit per rider in every column")
        }
        credits = [:]
        for (index, rider) in riders.enumerated() {
            credits[rider] = RiderCredit(
                control: columns[0][index], treatment: columns[1][index], both: columns[2][index])
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        let riders = credits.keys.sorted()
        try container.encode(firstPicks, forKey: .firstPicks)
        try container.encode(UserSet(hashes: riders), forKey: .riders)
        try container.encode(riders.map { credits[$0]?.control ?? 0 }, forKey: .control)
        try container.encode(riders.map { credits[$0]?.treatment ?? 0 }, forKey: .treatment)
        try container.encode(riders.map { credits[$0]?.both ?? 0 }, forKey: .both)
    }
}
