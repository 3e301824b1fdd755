import Foundation
import TestRequirements
import Testing

/// Every `curl` in README.md, run as written against the real `rideease serve --demo`.
///
/// Exactly two things are substituted: `localhost:8080` becomes the loopback address and free port the test's
/// server listens on, and the shell's `MODEL_ADMIN_API_KEY` is the key that server was started with (the README
/// tells the reader to export it). The commands run in README order in one `/bin/sh`, so a variable one command
/// sets (`requestId`) is there for the next. `curl` is wrapped in a shell function that adds `--fail-with-body` and
/// reports each call's exit status and HTTP status on stderr, so a 4xx/5xx or a failed pipeline fails the test.
@Suite("README curl commands")
struct ReadmeCurlTests {
    static let readme = RideEaseProcess.packageRoot.appendingPathComponent("README.md")

    @Test func everyCommandIsFoundAndPointsAtTheLocalServer() throws {
        let commands = ReadmeCommands.curlCommands(inMarkdown: try String(contentsOf: Self.readme, encoding: .utf8))
        #expect(commands.count >= 12, "\(commands)")
        #expect(commands.contains { $0.contains("\\\n") }, "continuation lines are joined into one command")
        for command in commands {
            #expect(command.contains("localhost:8080"), "\(command) must call the server the README starts")
        }
    }

    @Test(.requires(.curl)) func everyCommandSucceedsAgainstTheRealBinary() async throws {
        try ExternalRequirement.curl.check()
        let commands = ReadmeCommands.curlCommands(inMarkdown: try String(contentsOf: Self.readme, encoding: .utf8))
        try #require(!commands.isEmpty)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-readme-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml")
        )
        let adminKey = "readme-\(UUID().uuidString)"
        let viewerKey = "readme-viewer-\(UUID().uuidString)"
        let server = try RideEaseProcess(
            ["serve", "--port", "0", "--demo", "--no-schedule"],
            environment: ["MODEL_ADMIN_API_KEY": adminKey, "RIDEEASE_VIEWER_KEY": viewerKey],
            directory: directory
        )
        defer { server.signal(SIGTERM) }
        let port = try await server.waitForPort(timeout: .seconds(180))
        let script = Self.script(
            commands.map { $0.replacingOccurrences(of: "localhost:8080", with: "127.0.0.1:\(port)") })
        let run = try await Self.runShell(
            script, environment: ["MODEL_ADMIN_API_KEY": adminKey, "RIDEEASE_VIEWER_KEY": viewerKey], in: directory)
        let results = Self.results(fromStderr: run.stderr, count: commands.count)
        for (index, command) in commands.enumerated() {
            let result = results[index]
            #expect(result.exit == 0, "exit \(result.exit.map(String.init) ?? "none"): \(command)\n\(run.stderr)")
            #expect(
                !result.curlExits.isEmpty && result.curlExits.allSatisfy { $0 == 0 },
                "curl exits \(result.curlExits): \(command)")
            #expect(
                !result.statuses.isEmpty && result.statuses.allSatisfy { (200..<300).contains($0) },
                "HTTP \(result.statuses): \(command)\nstdout: \(run.stdout)"
            )
        }
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// One shell script: the curl wrapper, then each command between markers on stderr.
    static func script(_ commands: [String]) -> String {
        var lines = [
            "curl() {",
            "    command curl --fail-with-body --show-error --max-time 60 \\",
            "        --write-out '%{stderr}@@status %{http_code}\\n' \"$@\"",
            "    readme_curl_exit=$?",
            "    echo \"@@curl-exit $readme_curl_exit\" >&2",
            "    return $readme_curl_exit",
            "}",
        ]
        for (index, command) in commands.enumerated() {
            lines.append("echo '@@command \(index)' >&2")
            lines.append(command)
            lines.append("echo \"@@done $?\" >&2")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct CommandResult {
        var exit: Int?
        var curlExits: [Int] = []
        var statuses: [Int] = []
    }

    /// The markers of each command, in order; a command the shell never reached has no exit.
    static func results(fromStderr stderr: String, count: Int) -> [CommandResult] {
        var results = Array(repeating: CommandResult(), count: count)
        var current: Int?
        for line in stderr.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 2, let value = Int(words[1]) else { continue }
            switch words[0] {
            case "@@command": current = value < count ? value : nil
            case "@@status": if let current { results[current].statuses.append(value) }
            case "@@curl-exit": if let current { results[current].curlExits.append(value) }
            case "@@done": if let current { results[current].exit = value }
            default: continue
            }
        }
        return results
    }

    static func runShell(
        _ script: String, environment: [String: String], in directory: URL
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let scriptURL = directory.appendingPathComponent("readme-commands.sh")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let stdoutURL = directory.appendingPathComponent("readme-stdout.log")
        let stderrURL = directory.appendingPathComponent("readme-stderr.log")
        for url in [stdoutURL, stderrURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = [scriptURL.path]
        shell.currentDirectoryURL = directory
        shell.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            .merging(environment) { _, new in new }
        shell.standardInput = FileHandle.nullDevice
        shell.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        shell.standardError = try FileHandle(forWritingTo: stderrURL)
        try shell.run()
        let deadline = ContinuousClock.now.advanced(by: .seconds(300))
        while shell.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if shell.isRunning { shell.terminate() }
        shell.waitUntilExit()
        return (
            shell.terminationStatus,
            (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        )
    }
}
