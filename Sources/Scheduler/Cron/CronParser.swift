/// Turns the text of a cron expression into the bit sets of a ``CronSchedule``, or a ``CronError`` that points at
/// the offending characters. Internal: ``CronSchedule/init(_:)`` is the public entry point.
struct CronParser {
    /// The parsed form of one field.
    struct Field {
        var bits: UInt64
        /// The field's text starts with `*` — what Vixie cron checks for the day-of-month/day-of-week rule and to
        /// tell "wildcard" jobs from fixed-time jobs across DST changes.
        var startsWithStar: Bool
    }

    static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *",
        "@annually": "0 0 1 1 *",
        "@monthly": "0 0 1 * *",
        "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *",
        "@midnight": "0 0 * * *",
        "@hourly": "0 * * * *",
    ]

    let expression: String
    private let chars: [Character]

    init(_ expression: String) {
        self.expression = expression
        self.chars = Array(expression)
    }

    /// Parses the whole expression into its five fields.
    func parse() throws(CronError) -> [Field] {
        let tokens = tokenize()
        guard let first = tokens.first else {
            throw error(.empty, "the schedule is empty; expected 5 fields or a macro like @daily", 0, chars.count)
        }
        if chars[first.start] == "@" {
            return try parseMacro(tokens)
        }
        guard tokens.count == 5 else {
            let found = "found \(tokens.count)"
            let message = "expected 5 fields (minute hour day-of-month month day-of-week), \(found)"
            if tokens.count > 5 {
                let start = tokens[5].start
                throw error(.wrongFieldCount, message, start, tokens[tokens.count - 1].end - start)
            }
            // Something is missing: point just past the last field, where the next one should be.
            throw error(.wrongFieldCount, message, tokens[tokens.count - 1].end, 0)
        }
        var fields: [Field] = []
        for (field, token) in zip(CronField.allCases, tokens) {
            fields.append(try parseField(field, token.start, token.end))
        }
        return fields
    }

    // MARK: - Tokens

    private func tokenize() -> [(start: Int, end: Int)] {
        var tokens: [(start: Int, end: Int)] = []
        var index = 0
        while index < chars.count {
            if chars[index].isWhitespace {
                index += 1
                continue
            }
            let start = index
            while index < chars.count && !chars[index].isWhitespace { index += 1 }
            tokens.append((start, index))
        }
        return tokens
    }

    private func parseMacro(_ tokens: [(start: Int, end: Int)]) throws(CronError) -> [Field] {
        let token = tokens[0]
        let name = String(chars[token.start..<token.end]).lowercased()
        if tokens.count > 1 {
            let start = tokens[1].start
            throw error(
                .wrongFieldCount, "\(name) stands alone; remove what follows it", start,
                tokens[tokens.count - 1].end - start)
        }
        guard let equivalent = Self.macros[name] else {
            let message =
                name == "@reboot"
                ? "@reboot is not supported: a scheduled function needs fire times"
                : "unknown macro \"\(name)\"; expected @yearly, @annually, @monthly, @weekly, @daily, "
                    + "@midnight or @hourly"
            throw error(.unknownMacro, message, token.start, token.end - token.start)
        }
        // The equivalents are constant and valid, so parsing them cannot fail; the rethrow is only for the type.
        return try CronParser(equivalent).parse()
    }

    // MARK: - Fields

    private func parseField(_ field: CronField, _ start: Int, _ end: Int) throws(CronError) -> Field {
        var bits: UInt64 = 0
        var itemStart = start
        // Split on commas by hand so every item keeps its absolute position for error messages.
        for index in start...end where index == end || chars[index] == "," {
            if itemStart == index {
                // An empty item: point at the comma that should not be there.
                let comma = index < end ? index : index - 1
                throw error(.emptyListItem, "empty item in the \(field.label) list", comma, 1)
            }
            bits |= try parseItem(field, itemStart, index)
            itemStart = index + 1
        }
        if field == .dayOfWeek && bits & (1 << 7) != 0 {
            bits = (bits & ~(1 << 7)) | 1  // 7 is Sunday too
        }
        return Field(bits: bits, startsWithStar: chars[start] == "*")
    }

    /// One list item: `*`, `N`, `N-M`, each optionally followed by `/STEP`.
    private func parseItem(_ field: CronField, _ start: Int, _ end: Int) throws(CronError) -> UInt64 {
        var index = start
        var low: Int
        var high: Int
        var isSingleValue = false
        if chars[index] == "*" {
            low = field.bounds.lowerBound
            high = field.bounds.upperBound
            index += 1
        } else {
            let first = try parseValue(field, &index, end, role: "value")
            low = first.value
            high = first.value
            isSingleValue = true
            if index < end && chars[index] == "-" {
                index += 1
                guard index < end else {
                    throw error(.unexpectedCharacter, "the \(field.label) range is missing its end", index - 1, 1)
                }
                let second = try parseValue(field, &index, end, role: "value")
                high = second.value
                isSingleValue = false
                if low > high {
                    let range = text(first.start, second.end)
                    throw error(
                        .invertedRange, "\(field.label) range \(range) is inverted; write the smaller value first",
                        first.start, second.end - first.start)
                }
            }
        }
        var step = 1
        if index < end && chars[index] == "/" {
            index += 1
            guard index < end else {
                throw error(.invalidStep, "a step is missing after \"/\" in the \(field.label) field", index - 1, 1)
            }
            let stepStart = index
            guard chars[index].isASCII && chars[index].isNumber else {
                let word = scanWord(from: index, end)
                throw error(
                    .invalidStep, "a step must be a number, found \"\(text(index, word))\"", index, word - index)
            }
            step = try parseValue(field, &index, end, role: "step").value
            if step == 0 {
                throw error(.invalidStep, "a step must be at least 1, found 0", stepStart, index - stepStart)
            }
            // `5/10` means "from 5 to the end of the field, every 10", as in Vixie cron.
            if isSingleValue { high = field.bounds.upperBound }
        }
        if index < end {
            throw error(
                .unexpectedCharacter, "unexpected character \"\(chars[index])\" in the \(field.label) field",
                index, 1)
        }
        var bits: UInt64 = 0
        for value in stride(from: low, through: high, by: step) { bits |= 1 << UInt64(value) }
        return bits
    }

    /// A number or a name at `index`, advancing past it; `role` is "value" or "step" (steps are not names).
    private func parseValue(
        _ field: CronField, _ index: inout Int, _ end: Int, role: String
    ) throws(CronError) -> (value: Int, start: Int, end: Int) {
        let start = index
        let character = chars[index]
        if character.isASCII && character.isNumber {
            var value = 0
            while index < end, chars[index].isASCII, let digit = chars[index].wholeNumberValue {
                value = min(value * 10 + digit, 1_000_000)  // saturate: "99999999999" is out of range, not a trap
                index += 1
            }
            let limit = role == "step" ? field.bounds.upperBound : Int.max
            if (role == "value" && !field.bounds.contains(value)) || value > limit {
                throw error(
                    .outOfRange,
                    "\(field.label) \(text(start, index)) is out of range "
                        + "\(field.bounds.lowerBound)-\(field.bounds.upperBound)",
                    start, index - start)
            }
            return (value, start, index)
        }
        if character.isLetter {
            index = scanWord(from: index, end)
            let word = text(start, index)
            if let value = field.names[word.uppercased()] {
                return (value, start, index)
            }
            let message =
                field.names.isEmpty
                ? "the \(field.label) field takes numbers, found \"\(word)\""
                : "unknown \(field.label) name \"\(word)\"; use \(field.nameHint)"
            throw error(.unknownName, message, start, index - start)
        }
        throw error(.unexpectedCharacter, "unexpected character \"\(character)\" in the \(field.label) field", start, 1)
    }

    private func scanWord(from start: Int, _ end: Int) -> Int {
        var index = start
        while index < end && (chars[index].isLetter || chars[index].isNumber) { index += 1 }
        return max(index, start + 1)
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(chars[start..<end])
    }

    private func error(_ reason: CronError.Reason, _ message: String, _ offset: Int, _ length: Int) -> CronError {
        CronError(reason: reason, message: message, expression: expression, offset: offset, length: length)
    }
}
