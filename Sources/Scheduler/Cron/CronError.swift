/// Why a cron expression was rejected, with the position of the offending text so a caller can point at it.
///
/// `offset` and `length` count `Character`s from the start of ``expression`` (0-based), so the manifest loader can
/// add `offset` to the column where the quoted schedule starts and report
/// `functions.yaml:12:13: schedule "*/61 * * * *": minute 61 is out of range 0-59`.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of mistake, for callers (and tests) that branch on it rather than on the message.
    public enum Reason: Sendable, Hashable {
        /// The expression is empty or only whitespace.
        case empty
        /// Not exactly five fields (or a macro followed by more text).
        case wrongFieldCount
        /// An `@name` that is not one of the supported macros.
        case unknownMacro
        /// A number outside its field's range (a step larger than the field's maximum included).
        case outOfRange
        /// A step of 0, or a step that is not a number.
        case invalidStep
        /// A range whose start is greater than its end (`30-10`).
        case invertedRange
        /// A word that is not a month or day name, or a name in a field that takes only numbers.
        case unknownName
        /// Nothing between two commas, or a leading or trailing comma.
        case emptyListItem
        /// A character that has no meaning in cron (`#`, `?`, `L`…), or a value that is missing (`5-`).
        case unexpectedCharacter
    }

    /// The kind of mistake.
    public var reason: Reason
    /// What is wrong, in words a user understands (`minute 61 is out of range 0-59`).
    public var message: String
    /// The expression as the user wrote it.
    public var expression: String
    /// Where the offending text starts, in characters from the start of ``expression`` (0-based).
    public var offset: Int
    /// How many characters the offending text spans (0 when something is missing at ``offset``).
    public var length: Int

    /// Creates an error value; the parser is the only producer, tests compare against it.
    public init(reason: Reason, message: String, expression: String, offset: Int, length: Int) {
        self.reason = reason
        self.message = message
        self.expression = expression
        self.offset = offset
        self.length = length
    }

    /// `schedule "*/61 * * * *": minute 61 is out of range 0-59` — the manifest loader prefixes `file:line:col: `.
    public var description: String {
        "schedule \"\(expression)\": \(message)"
    }
}
