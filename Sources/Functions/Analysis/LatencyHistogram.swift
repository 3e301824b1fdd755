import Foundation

/// Request latencies in logarithmic buckets 2 % wide: mergeable across instances and hours, and a quantile read
/// from it is within 2 % of the exact one — plenty for a guardrail on p95.
struct LatencyHistogram: Sendable, Equatable {
    static let growth = 1.02
    /// Bucket `i` holds latencies in `(growth^(i-1), growth^i]` ms; index 0 holds everything up to 1 ms.
    private(set) var counts: [Int: Int] = [:]

    var total: Int { counts.values.reduce(0, +) }

    mutating func record(milliseconds: Double) {
        let index = milliseconds <= 1 ? 0 : Int((log(milliseconds) / log(Self.growth)).rounded(.up))
        counts[index, default: 0] += 1
    }

    mutating func merge(_ other: LatencyHistogram) {
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    /// The upper bound of the bucket holding the `q` quantile, or `nil` when empty.
    func quantile(_ q: Double) -> Double? {
        let total = total
        guard total > 0 else { return nil }
        let rank = max(1, Int((Double(total) * q).rounded(.up)))
        var seen = 0
        for index in counts.keys.sorted() {
            seen += counts[index, default: 0]
            if seen >= rank { return pow(Self.growth, Double(index)) }
        }
        return nil
    }
}

extension LatencyHistogram: Codable {
    /// `[[bucket, count], …]` in bucket order: JSON objects cannot have integer keys.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        for pair in try container.decode([[Int]].self) {
            guard pair.count == 2, pair[1] >= 0 else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "a histogram bucket is [index, count]")
            }
            counts[pair[0], default: 0] += pair[1]
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(counts.keys.sorted().map { [$0, counts[$0, default: 0]] })
    }
}
