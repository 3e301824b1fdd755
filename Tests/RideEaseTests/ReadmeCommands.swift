import Foundation

/// The shell commands of a Markdown document that call `curl`, as a person would paste them.
///
/// A command is a line of a fenced code block, joined with the lines that follow while it ends in a `\`
/// continuation. It is kept when its first word is `curl`, or when it assigns a curl's output to a shell variable
/// (`requestId=$(curl …)`), which a later command of the same document uses.
enum ReadmeCommands {
    static func curlCommands(inMarkdown markdown: String) -> [String] {
        var commands: [String] = []
        var inFence = false
        var pending: String?
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if pending == nil, line.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inFence.toggle()
                continue
            }
            guard inFence else { continue }
            let joined = pending.map { $0 + "\n" + line } ?? line
            let trimmed = joined.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("\\") {
                pending = joined
                continue
            }
            pending = nil
            if isCurl(trimmed) { commands.append(trimmed) }
        }
        return commands
    }

    private static func isCurl(_ command: String) -> Bool {
        if command.hasPrefix("curl ") { return true }
        guard let equals = command.firstIndex(of: "=") else { return false }
        let name = command[..<equals]
        let isVariable =
            !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !name.first!.isNumber
        return isVariable && command[command.index(after: equals)...].hasPrefix("$(curl ")
    }
}
