import Foundation
import Testing

/// Runs one of the repository's Python reference scripts and decodes its JSON output.
///
/// Missing Python or packages make the test *fail* with the script's message (never skip): the project's test
/// script installs them (`scripts/install-test-deps.sh`), so their absence is a broken environment to fix.
enum PythonReference {
    /// The repository root, found from this file's path (Tests/ExperimentsTests/<file>).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Output of `python3 scripts/<script>` decoded as `T`.
    static func load<T: Decodable>(_ type: T.Type, script: String) throws -> T {
        let path = repositoryRoot.appendingPathComponent("scripts").appendingPathComponent(script).path
        try #require(FileManager.default.fileExists(atPath: path), "reference script missing: \(path)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path]
        let stdout = Pipe()
        let stderr = FileManager.default.temporaryDirectory.appendingPathComponent("experiments-ref-\(UUID()).err")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: stderr) }
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderr)
        do {
            try process.run()
        } catch {
            Issue.record("cannot start python3 (\(error)); install Python 3 and run scripts/install-test-deps.sh")
            throw error
        }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
        try #require(
            process.terminationStatus == 0,
            "python3 scripts/\(script) exited with \(process.terminationStatus): \(message)")
        return try JSONDecoder().decode(T.self, from: data)
    }
}

/// Relative-or-absolute closeness used against the reference libraries.
///
/// Relative tolerance 1e-9 (|a − b| ≤ 1e-9·max(|a|, |b|)); values that are zero up to rounding (rates, CI bounds
/// and differences that cancel to ~1e-17) are compared with an absolute tolerance of 1e-15 instead.
func isClose(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-15) -> Bool {
    if a == b { return true }
    let difference = abs(a - b)
    return difference <= absolute || difference <= relative * max(abs(a), abs(b))
}
