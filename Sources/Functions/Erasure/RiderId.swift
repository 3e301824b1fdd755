import Recommender

/// Which rider ids an erasure accepts: the ids events may carry, so that every rider whose events we hold can be
/// erased, and nothing else (a typo with a control character would otherwise "succeed" at erasing no one).
public enum RiderId {
    /// Longer inputs are refused before any other check, whatever they hold.
    public static let maximumBytes = 256

    /// The problem with `userId` in words (without repeating it: it may be personal data), or `nil` when it is an
    /// acceptable rider id.
    public static func problem(with userId: String) -> String? {
        if userId.isEmpty { return "userId must not be empty" }
        if userId.utf8.count > maximumBytes {
            return "userId is \(userId.utf8.count) bytes long; rider ids are at most \(maximumBytes) bytes"
        }
        if userId.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{7F}" }) {
            return "userId must not contain control characters"
        }
        if !RideEvent.isAcceptableId(userId) {
            return "userId must be 1-\(RideEvent.maximumIdLength) characters, as in events"
        }
        return nil
    }
}
