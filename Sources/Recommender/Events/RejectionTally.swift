/// Refused rows grouped by reason, with the first few line numbers of each: what an import prints instead of one
/// line per row (a bad unit refuses every row of a 10M-row file for the same reason).
public struct RejectionTally: Sendable, Equatable {
    /// One reason and the rows refused for it.
    public struct Group: Sendable, Equatable {
        /// Why, e.g. `timestamp is negative`.
        public var reason: String
        /// How many rows.
        public var count: Int
        /// The first ``RejectionTally/linesKept`` line numbers.
        public var firstLines: [Int]
    }

    /// Line numbers kept per reason.
    public static let linesKept = 5
    /// Distinct reasons kept; the rest are counted under ``otherReason`` so the tally stays bounded.
    public static let reasonsKept = 50
    static let otherReason = "other reasons"

    /// The groups in the order their reasons first appeared.
    public private(set) var groups: [Group] = []
    private var indexByReason: [String: Int] = [:]

    /// Every refused row.
    public var total: Int { groups.reduce(0) { $0 + $1.count } }

    /// An empty tally.
    public init() {}

    /// Counts one refused row.
    public mutating func add(_ reason: String, line: Int) {
        var reason = reason
        if indexByReason[reason] == nil && groups.count >= Self.reasonsKept { reason = Self.otherReason }
        let index: Int
        if let known = indexByReason[reason] {
            index = known
        } else {
            index = groups.count
            groups.append(Group(reason: reason, count: 0, firstLines: []))
            indexByReason[reason] = index
        }
        groups[index].count += 1
        if groups[index].firstLines.count < Self.linesKept { groups[index].firstLines.append(line) }
    }

    /// One line per reason: `timestamp is negative: 3 rows (lines 5, 9, 12)`.
    public var lines: [String] {
        groups.map { group in
            let rows = group.count == 1 ? "1 row" : "\(group.count) rows"
            let numbers = group.firstLines.map(String.init).joined(separator: ", ")
            let label = group.firstLines.count == 1 ? "line" : "lines"
            let more = group.count > group.firstLines.count ? ", …" : ""
            return "\(group.reason): \(rows) (\(label) \(numbers)\(more))"
        }
    }
}
