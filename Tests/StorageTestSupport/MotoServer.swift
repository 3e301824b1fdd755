import Foundation
import Storage
import Synchronization
import TestRequirements
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real moto server (PyPI `moto[server]`) on a loopback port, with signature checking turned on.
///
/// moto is run exactly as `moto_server` runs it (`moto.server.main`), with one change: requests are served one at
/// a time instead of on a thread each. moto 5.x checks `If-Match`/`If-None-Match` and then writes without a lock,
/// so with concurrent requests two conditional PUTs against the same ETag can both succeed (seen: 198 instead of
/// 200 in the compare-and-swap test). Real S3 applies conditional writes atomically; serving requests one at a
/// time gives moto that property, so the conformance suite tests our client, not moto's race.
///
/// It is started through a tiny `/bin/sh` wrapper that kills moto when the wrapper's stdin reaches EOF, which
/// happens when ``stop()`` closes the pipe or when the test process dies for any reason: no moto outlives the
/// tests. Authentication is turned on before any test request (see `MotoServer+Auth.swift`).
public final class MotoServer: Sendable {
    public let port: Int
    public let endpoint: URL
    /// The IAM user's key: accepted once auth is on.
    public let credentials: S3Credentials
    public let logPath: String
    private let process: Mutex<(wrapper: Process, stdin: FileHandle, motoPID: Int32)?>

    private init(
        port: Int, credentials: S3Credentials, logPath: String, wrapper: Process, stdin: FileHandle, pid: Int32
    ) {
        self.port = port
        self.endpoint = URL(string: "http://127.0.0.1:\(port)")!
        self.credentials = credentials
        self.logPath = logPath
        self.process = Mutex((wrapper, stdin, pid))
    }

    /// Starts moto on `port` (a free one when `nil`) and sets up auth. Without moto the test is skipped, or fails
    /// in CI (see ``ExternalRequirement/check(sourceLocation:)``).
    public static func start(port requestedPort: Int? = nil) async throws -> MotoServer {
        try ExternalRequirement.moto.check()
        guard let executable = ExternalTools.python else { throw TestSetupError(ExternalRequirement.moto.message) }
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try requestedPort ?? LoopbackPort.free()
            do {
                return try await launch(executable: executable, port: port)
            } catch {
                lastError = error
                if requestedPort != nil {
                    // The same port is wanted (restart test): the old socket may linger briefly.
                    try await Task.sleep(for: .milliseconds(300))
                }
            }
        }
        throw lastError ?? TestSetupError("moto_server did not start")
    }

    private static func launch(executable: String, port: Int) async throws -> MotoServer {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent(
            "moto-\(port)-\(UUID().uuidString).log"
        ).path
        let serialMoto = """
            import sys, moto.server as server
            run_simple = server.run_simple
            server.run_simple = lambda *a, **k: run_simple(*a, **{**k, "threaded": False})
            server.main(["-H", "127.0.0.1", "-p", sys.argv[1]])
            """
        let script = """
            "$1" -c '\(serialMoto)' "$2" >"$3" 2>&1 &
            moto=$!
            echo "$moto"
            trap 'kill -9 "$moto" 2>/dev/null; rm -f "$3"' EXIT
            read -r _ || true
            """
        let wrapper = Process()
        wrapper.executableURL = URL(fileURLWithPath: "/bin/sh")
        wrapper.arguments = ["-c", script, "moto-wrapper", executable, String(port), logPath]
        let input = Pipe()
        let output = Pipe()
        wrapper.standardInput = input
        wrapper.standardOutput = output
        try wrapper.run()
        let pidLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let pid = Int32(pidLine.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSetupError("moto wrapper did not report a pid (got \"\(pidLine)\")")
        }
        let endpoint = URL(string: "http://127.0.0.1:\(port)")!
        // Poll until moto answers; give up early if it exited (port taken, broken install).
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            if await isAnswering(endpoint) { break }
            if kill(pid, 0) != 0 || ContinuousClock.now > deadline {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                input.fileHandleForWriting.closeFile()
                wrapper.waitUntilExit()
                let hint = log.contains("No module named") ? " (install it: pip install 'moto[server]')" : ""
                throw TestSetupError("moto on port \(port) did not start\(hint):\n\(log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let credentials = try await setUpAuth(endpoint: endpoint)
        return MotoServer(
            port: port,
            credentials: credentials,
            logPath: logPath,
            wrapper: wrapper,
            stdin: input.fileHandleForWriting,
            pid: pid
        )
    }

    /// Kills moto (SIGKILL: like a crash, no graceful close) and waits until the wrapper is gone.
    public func stop() {
        guard
            let (wrapper, stdin, pid) = process.withLock({ state in
                defer { state = nil }; return state
            })
        else { return }
        kill(pid, SIGKILL)
        stdin.closeFile()
        wrapper.waitUntilExit()
        // Wait until the killed process is really gone, so its port can be reused at once.
        var waited = 0
        while kill(pid, 0) == 0 && waited < 100 {
            usleep(20_000)
            waited += 1
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    deinit {
        stop()
    }

    /// A store for `bucket` (created here) on this server, with the user's key unless told otherwise.
    public func makeStore(
        bucket: String = MotoServer.uniqueBucketName(),
        keyPrefix: String = "",
        credentials: (any S3CredentialsProvider)? = nil,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(20), maxDelay: .milliseconds(200)),
        createBucket: Bool = true,
        partSize: Int = S3Configuration.defaultPartSize,
        transport: any HTTPTransport = URLSessionTransport()
    ) async throws -> S3Store {
        var configuration = S3Configuration(
            bucket: bucket,
            keyPrefix: keyPrefix,
            endpoint: endpoint,
            region: "us-east-1",
            addressing: .path,
            requestTimeout: .seconds(60),
            retry: retry,
            signingCompatibility: .motoDecodedQuery
        )
        configuration.partSize = partSize
        let store = try S3Store(
            configuration: configuration,
            credentials: credentials ?? StaticCredentialsProvider(self.credentials),
            transport: transport
        )
        if createBucket { try await store.createBucketIfNeeded() }
        return store
    }

    public static func uniqueBucketName(_ label: String = "t") -> String {
        "\(label)-\(UUID().uuidString.lowercased().prefix(18))"
    }

    private static func isAnswering(_ endpoint: URL) async -> Bool {
        var request = URLRequest(url: endpoint.appendingPathComponent("moto-api/data.json"))
        request.timeoutInterval = 2
        return (try? await URLSession.shared.data(for: request)) != nil
    }

}
