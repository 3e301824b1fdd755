import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `rideease` binary run as a child process, with its output captured in files.
final class RideEaseProcess: @unchecked Sendable {
    let process = Process()
    let directory: URL
    let stdoutURL: URL
    let stderrURL: URL

    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary `swift build` produced beside the test bundle.
    static var binary: URL {
        get throws {
            let candidates = [
                Bundle.main.bundleURL.appendingPathComponent("rideease"),
                Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("rideease"),
                packageRoot.appendingPathComponent(".build/debug/rideease"),
            ]
            return try #require(
                candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                "build the rideease binary first (swift build --build-tests)"
            )
        }
    }

    init(_ arguments: [String], environment: [String: String] = [:], directory: URL) throws {
        self.directory = directory
        stdoutURL = directory.appendingPathComponent("stdout-\(UUID().uuidString).log")
        stderrURL = directory.appendingPathComponent("stderr-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = try Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LOG_FORMAT": "json"]
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Runs the binary to completion and returns its exit code.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL
    ) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let child = try RideEaseProcess(arguments, environment: environment, directory: directory)
        let status = try await child.waitForExit(timeout: .seconds(60))
        return (try #require(status), child.stdout, child.stderr)
    }

    /// Waits for the JSON log line `listening` and returns the bound port. The bound is generous because it only
    /// matters when the start is slow: on a loaded 2-core machine, loading the debug binary alone took over 30 s.
    func waitForPort(timeout: Duration = .seconds(120)) async throws -> Int {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            for line in stdout.split(separator: "\n") where line.contains(#""message":"listening""#) {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let address = object?["address"] as? String,
                    let port = address.split(separator: ":").last.flatMap({ Int($0) })
                {
                    return port
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the server did not report listening; stdout: \(stdout) stderr: \(stderr)")
        throw CancellationError()
    }

    /// Sends a signal, only while the child runs: once it has exited and been reaped, its pid may already belong to
    /// another test's process (the kill -9 loops start and end hundreds of children), and signalling that one
    /// stalled the whole test run.
    func signal(_ signal: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }

    /// The exit status, or `nil` when the process is still running after `timeout`.
    func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }
}

/// A plain TCP connection speaking HTTP/1.1 by hand, to hold a request open mid-body.
final class RawConnection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(result == 0, "connect to 127.0.0.1:\(port) failed")
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the peer closes or a full response with `Content-Length` has arrived.
    func readResponse() -> String {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            let text = String(decoding: received, as: UTF8.self)
            if let headerEnd = text.range(of: "\r\n\r\n"),
                let lengthLine = text[..<headerEnd.lowerBound].split(separator: "\r\n")
                    .first(where: { $0.lowercased().hasPrefix("content-length:") }),
                let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)),
                text[headerEnd.upperBound...].utf8.count >= length
            {
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
