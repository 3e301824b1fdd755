import Foundation
import Storage
import Synchronization
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
/// tests. Setup follows DESIGN.md: before auth is on, an IAM user with an allow-all inline policy and an access
/// key are created through moto's IAM API (signed by our own ``SigV4Signer``); then
/// `POST /moto-api/reset-auth` with body `0` turns authentication on for every later request.
final class MotoServer: Sendable {
    let port: Int
    let endpoint: URL
    /// The IAM user's key: accepted once auth is on.
    let credentials: S3Credentials
    let logPath: String
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

    /// Starts moto on `port` (a free one when `nil`) and sets up auth. Fails the test clearly when
    /// `moto_server` is not installed: these tests are never skipped.
    static func start(port requestedPort: Int? = nil) async throws -> MotoServer {
        guard findExecutable("moto_server") != nil, let python = findExecutable("python3") else {
            throw TestSetupError(
                "moto_server (and python3) must be on PATH; install it with `pip install 'moto[server]'` (the S3 "
                    + "tests need a real S3-compatible server and are never skipped)"
            )
        }
        let executable = python
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = try requestedPort ?? freeLoopbackPort()
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
    func stop() {
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
    func makeStore(
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

    static func uniqueBucketName(_ label: String = "t") -> String {
        "\(label)-\(UUID().uuidString.lowercased().prefix(18))"
    }

    // MARK: - setup helpers

    private static func setUpAuth(endpoint: URL) async throws -> S3Credentials {
        let bootstrap = S3Credentials(accessKeyID: "test-bootstrap-key", secretAccessKey: "bootstrap")
        let user = "rideease-test"
        _ = try await iam(endpoint, ["Action": "CreateUser", "UserName": user], bootstrap)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        _ = try await iam(
            endpoint,
            ["Action": "PutUserPolicy", "UserName": user, "PolicyName": "all", "PolicyDocument": policy],
            bootstrap
        )
        let keyXML = try await iam(endpoint, ["Action": "CreateAccessKey", "UserName": user], bootstrap)
        guard let id = element("AccessKeyId", in: keyXML), let secret = element("SecretAccessKey", in: keyXML) else {
            throw TestSetupError("moto CreateAccessKey answer has no key: \(keyXML)")
        }
        var request = URLRequest(url: endpoint.appendingPathComponent("moto-api/reset-auth"))
        request.httpMethod = "POST"
        request.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("0".utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw TestSetupError("moto reset-auth failed: \(response)")
        }
        return S3Credentials(accessKeyID: id, secretAccessKey: secret)
    }

    /// One signed IAM Query API call; returns the XML answer.
    private static func iam(
        _ endpoint: URL, _ parameters: [String: String], _ credentials: S3Credentials
    ) async throws
        -> String
    {
        var all = parameters
        all["Version"] = "2010-05-08"
        let body = all.sorted { $0.key < $1.key }
            .map {
                "\(S3URIEncoding.encode($0.key, keepSlash: false))=\(S3URIEncoding.encode($0.value, keepSlash: false))"
            }
            .joined(separator: "&")
        var request = HTTPRequest(
            method: "POST",
            scheme: "http",
            host: endpoint.host!,
            port: endpoint.port,
            encodedPath: "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Data(body.utf8)
        )
        SigV4Signer(region: "us-east-1", service: "iam").sign(&request, credentials: credentials, date: Date())
        let response = try await URLSessionTransport().send(request, timeout: .seconds(30))
        let text = String(decoding: response.body, as: UTF8.self)
        guard response.status == 200 else { throw TestSetupError("moto IAM \(parameters["Action"]!) failed: \(text)") }
        return text
    }

    private static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"),
            let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    private static func isAnswering(_ endpoint: URL) async -> Bool {
        var request = URLRequest(url: endpoint.appendingPathComponent("moto-api/data.json"))
        request.timeoutInterval = 2
        return (try? await URLSession.shared.data(for: request)) != nil
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Asks the kernel for a free port by binding to port 0 (the small race until moto binds it is retried).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
        }
        guard bound else { throw TestSetupError("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard named else { throw TestSetupError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The one moto server most S3 tests share (started on first use; killed when the test process exits, through
/// the wrapper's stdin). Each test uses its own bucket, so tests running in parallel do not see each other.
actor SharedMoto {
    static let shared = SharedMoto()
    private var server: MotoServer?
    private var starting: Task<MotoServer, any Error>?

    func get() async throws -> MotoServer {
        if let server { return server }
        if let starting { return try await starting.value }
        let task = Task { try await MotoServer.start() }
        starting = task
        defer { starting = nil }
        let started = try await task.value
        server = started
        return started
    }
}

/// A setup problem that must fail the test with a message (never skip it).
struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
