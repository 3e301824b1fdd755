import Foundation
import TestRequirements
import Testing

/// Runs one of the Python reference scripts beside these tests (`Reference/`) and decodes its JSON output.
///
/// The tests that call it declare their requirement (`.requires(.pythonStatistics)`): where Python or a package is
/// missing they are skipped with that message, and in CI (`CI=true`, or `RIDEEASE_REQUIRE_EXTERNAL_TOOLS=1` from
/// scripts/test.sh) they fail instead.
enum PythonReference {
    /// The folder of the reference scripts, found from this file's path.
    static var referenceFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference")
    }

    /// Output of `python3 Reference/<script>` decoded as `T`, once `requirement` is checked.
    static func load<T: Decodable>(_ type: T.Type, script: String, requirement: ExternalRequirement) throws -> T {
        try requirement.check()
        let path = referenceFolder.appendingPathComponent(script).path
        try #require(FileManager.default.fileExists(atPath: path), "reference script missing: \(path)")
        let python = try #require(ExternalTools.python, "no python3: \(requirement.message)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [path]
        let stdout = Pipe()
        let stderr = FileManager.default.temporaryDirectory.appendingPathComponent("experiments-ref-\(UUID()).err")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: stderr) }
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: stderr)
        do {
            try process.run()
        } catch {
            Issue.record("cannot start \(python) (\(error)): \(requirement.message)")
            throw error
        }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
        try #require(
            process.terminationStatus == 0,
            "\(python) Reference/\(script) exited with \(process.terminationStatus): \(message)")
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
