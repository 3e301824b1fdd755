import Foundation

/// Progress of the operator commands, on stderr: stdout stays clean for the command's result.
enum Progress {
    /// One progress line.
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The rows/s line an import redraws on a terminal (never in logs or pipes, where `\r` lines are noise).
final class ProgressMeter: Sendable {
    private let isTerminal: Bool
    private let start = ContinuousClock.now

    init(isTerminal: Bool) { self.isTerminal = isTerminal }

    func report(rows: Int) {
        guard isTerminal else { return }
        let rate = Double(rows) / max(seconds, 0.001)
        FileHandle.standardError.write(Data("\r\(rows) rows, \(Int(rate)) rows/s   ".utf8))
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    var seconds: Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    var elapsedText: String { String(format: "%.1f s", seconds) }
}
