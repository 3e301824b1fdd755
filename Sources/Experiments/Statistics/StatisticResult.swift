/// A statistic that is either computed or honestly unavailable ("insufficient data") with a reason.
///
/// Statistics of empty arms, of rates that are exactly 0 or 1, or of an undefined ratio have no meaningful value;
/// rather than letting NaN or infinity reach a dashboard (or `JSONEncoder`, which rejects them) every function
/// in this module returns this type. In JSON a value encodes as itself and a missing one as
/// `{"insufficientData": true, "reason": "…"}`.
public enum StatisticResult<Value: Sendable>: Sendable {
    /// The statistic could be computed.
    case value(Value)
    /// The statistic is undefined for these inputs; `reason` says why, for people.
    case insufficientData(reason: String)

    /// The computed value, or `nil` when data was insufficient.
    public var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    /// The reason data was insufficient, or `nil` when there is a value.
    public var insufficientDataReason: String? {
        if case .insufficientData(let reason) = self { return reason }
        return nil
    }

    /// Transforms the value, keeping the reason when there is none.
    public func map<Other: Sendable>(_ transform: (Value) -> Other) -> StatisticResult<Other> {
        switch self {
        case .value(let value): return .value(transform(value))
        case .insufficientData(let reason): return .insufficientData(reason: reason)
        }
    }
}

extension StatisticResult: Equatable where Value: Equatable {}

private enum InsufficientDataKeys: String, CodingKey {
    case insufficientData, reason
}

extension StatisticResult: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .value(let value):
            try value.encode(to: encoder)
        case .insufficientData(let reason):
            var container = encoder.container(keyedBy: InsufficientDataKeys.self)
            try container.encode(true, forKey: .insufficientData)
            try container.encode(reason, forKey: .reason)
        }
    }
}

extension StatisticResult: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: InsufficientDataKeys.self),
            (try? container.decode(Bool.self, forKey: .insufficientData)) == true
        {
            self = .insufficientData(reason: try container.decode(String.self, forKey: .reason))
        } else {
            self = .value(try Value(from: decoder))
        }
    }
}
