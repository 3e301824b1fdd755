/// One of the five positions of a cron expression, with the values and names it accepts.
enum CronField: Int, CaseIterable, Sendable {
    case minute
    case hour
    case dayOfMonth
    case month
    case dayOfWeek

    /// The name used in error messages.
    var label: String {
        switch self {
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// Accepted values; day-of-week takes 0-7 because both 0 and 7 mean Sunday (folded to 0 after parsing).
    var bounds: ClosedRange<Int> {
        switch self {
        case .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// Three-letter names (upper case) and their values, for the two fields that have them.
    var names: [String: Int] {
        switch self {
        case .month:
            let list = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            return Dictionary(uniqueKeysWithValues: list.enumerated().map { ($0.element, $0.offset + 1) })
        case .dayOfWeek:
            let list = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            return Dictionary(uniqueKeysWithValues: list.enumerated().map { ($0.element, $0.offset) })
        case .minute, .hour, .dayOfMonth:
            return [:]
        }
    }

    /// What a user may write instead, for the "unknown name" message.
    var nameHint: String {
        switch self {
        case .month: "JAN-DEC or 1-12"
        case .dayOfWeek: "SUN-SAT or 0-7"
        case .minute, .hour, .dayOfMonth: "a number \(bounds.lowerBound)-\(bounds.upperBound)"
        }
    }
}
