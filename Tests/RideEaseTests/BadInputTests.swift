import Foundation
import Testing

/// Hostile and broken input against the real binary over real sockets: no 5xx, every 4xx a JSON
/// error envelope, the admin key checked on every admin route and never written to logs or traces.
@Suite("bad input against the real binary", .serialized)
struct BadInputTests {
    static let adminKey = "bad-input-admin-key-7f3a9c"

    /// A request and the statuses it may answer (always a client error unless told otherwise).
    struct Case: CustomStringConvertible {
        var name: String
        var method = "POST"
        var path: String
        var headers: [String: String] = ["Content-Type": "application/json"]
        var body = Data()
        var declaredLength: Int?
        var expected: Set<Int>

        var description: String { name }
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml")
        )
    }

    static func json(_ text: String) -> Data { Data(text.utf8) }

    static var admin: [String: String] { ["Content-Type": "application/json", "x-api-key": adminKey] }

    static var cases: [Case] {
        let nestedArrays = Data(repeating: UInt8(ascii: "["), count: 1 << 20)
        let nestedObjects = Data(String(repeating: #"{"a":"#, count: 3000).utf8)
        return [
            Case(name: "invalid JSON", path: "/recommendations", body: json("{\"userId\":"), expected: [400]),
            Case(name: "empty body", path: "/recommendations", expected: [400]),
            Case(name: "not UTF-8", path: "/recommendations", body: Data([0xFF, 0xFE, 0x00, 0x7B]), expected: [400]),
            Case(name: "userId a number", path: "/recommendations", body: json(#"{"userId":42}"#), expected: [400]),
            Case(name: "userId null", path: "/recommendations", body: json(#"{"userId":null}"#), expected: [400]),
            Case(
                name: "limit a string", path: "/recommendations", body: json(#"{"userId":"r","limit":"5"}"#),
                expected: [400]),
            Case(
                name: "limit 0", path: "/recommendations", body: json(#"{"userId":"r","limit":0}"#), expected: [400]),
            Case(
                name: "limit oversized", path: "/recommendations", body: json(#"{"userId":"r","limit":1000000}"#),
                expected: [400]),
            Case(
                name: "limit beyond Int64", path: "/recommendations",
                body: json(#"{"userId":"r","limit":99999999999999999999999}"#), expected: [400]),
            Case(
                name: "limit fractional", path: "/recommendations", body: json(#"{"userId":"r","limit":2.5}"#),
                expected: [400]),
            Case(
                name: "limit negative", path: "/recommendations", body: json(#"{"userId":"r","limit":-1}"#),
                expected: [400]),
            Case(
                name: "NUL in userId", path: "/recommendations", body: json(#"{"userId":"rider\u0000-1"}"#),
                expected: [400]),
            Case(
                name: "newline in userId", path: "/recommendations", body: json(#"{"userId":"rider\n1"}"#),
                expected: [400]),
            Case(name: "blank userId", path: "/recommendations", body: json(#"{"userId":"   "}"#), expected: [400]),
            Case(
                name: "userId too long", path: "/recommendations",
                body: json("{\"userId\":\"\(String(repeating: "é", count: 129))\"}"), expected: [400]),
            Case(
                name: "unicode userId is fine", path: "/recommendations",
                body: json(#"{"userId":"rider-🚕-\u202e-ü","limit":3}"#), expected: [200]),
            Case(
                name: "lone surrogate in userId", path: "/recommendations", body: json(#"{"userId":"\ud800"}"#),
                expected: [200, 400]),
            Case(
                name: "deeply nested arrays", path: "/recommendations", body: nestedArrays.prefix(16_000),
                expected: [400]),
            Case(name: "deeply nested objects", path: "/recommendations", body: nestedObjects, expected: [400, 413]),
            // Announced, not sent: the server answers from the header alone and closes, and a big unread body
            // would make the kernel reset the connection before the answer is read.
            Case(
                name: "huge body announced", path: "/recommendations", body: json("{"), declaredLength: 50 << 20,
                expected: [413]),
            Case(name: "events: deeply nested", path: "/events", body: nestedArrays, expected: [400]),
            Case(name: "events: invalid JSON", path: "/events", body: json("[{]"), expected: [400]),
            Case(name: "events: events not array", path: "/events", body: json(#"{"events":7}"#), expected: [400]),
            Case(
                name: "events: control characters in ids", path: "/events",
                body: json(#"{"events":[{"type":"ride","userId":"a\u0007","itemId":"b\u0000"}]}"#),
                expected: [400]),
            Case(
                name: "events: Pub/Sub with bad base64", path: "/events",
                body: json(#"{"message":{"data":"%%%"}}"#), expected: [400]),
            Case(
                name: "events: too many", path: "/events",
                body: json("[" + Array(repeating: "1", count: 1001).joined(separator: ",") + "]"), expected: [400]),
            Case(name: "unknown route", method: "GET", path: "/etc/passwd", expected: [404]),
            Case(name: "wrong method", method: "DELETE", path: "/recommendations", expected: [405]),
            Case(
                name: "summary: window oversized", method: "GET",
                path: "/experiments/rec-engine/summary?windowHours=100000000000000000000", expected: [400]),
            Case(
                name: "summary: traversal in id", method: "GET", path: "/experiments/..%2F..%2Fmodels/summary",
                expected: [404]),
            Case(
                name: "switch: missing key", path: "/admin/switch-model", body: json(#"{"version":"v0.1.0"}"#),
                expected: [401]),
            Case(
                name: "switch: empty key", path: "/admin/switch-model",
                headers: ["Content-Type": "application/json", "x-api-key": ""], body: json(#"{"version":"v0.1.0"}"#),
                expected: [401]),
            Case(
                name: "switch: wrong key, same length", path: "/admin/switch-model",
                headers: ["x-api-key": String(adminKey.reversed())], body: json(#"{"version":"v0.1.0"}"#),
                expected: [401]),
            Case(
                name: "switch: key prefix", path: "/admin/switch-model",
                headers: ["x-api-key": String(adminKey.dropLast())], body: json(#"{"version":"v0.1.0"}"#),
                expected: [401]),
            Case(
                name: "switch: key with a suffix", path: "/admin/switch-model",
                headers: ["x-api-key": adminKey + "x"], body: json(#"{"version":"v0.1.0"}"#), expected: [401]),
            Case(name: "models: missing key", method: "GET", path: "/admin/models", expected: [401]),
            Case(name: "erase rider: missing key", method: "DELETE", path: "/riders/rider-0001", expected: [401]),
            Case(
                name: "erase rider: control character in id", method: "DELETE", path: "/riders/a%01b",
                headers: ["x-api-key": adminKey], expected: [400]),
            Case(
                name: "erasure: none requested", method: "GET", path: "/riders/nobody-at-all/erasure",
                headers: ["x-api-key": adminKey], expected: [404]),
            Case(name: "train: wrong key", path: "/train", headers: ["x-api-key": "guess"], expected: [401]),
            Case(
                name: "scheduler: wrong key", method: "GET", path: "/_scheduler/jobs", headers: ["x-api-key": "guess"],
                expected: [401]),
            Case(
                name: "switch: version traversal", path: "/admin/switch-model", headers: admin,
                body: json(#"{"version":"../../etc/passwd"}"#), expected: [400]),
            Case(
                name: "switch: version with a slash", path: "/admin/switch-model", headers: admin,
                body: json(#"{"version":"v0.1.0/../../v0.1.0"}"#), expected: [400]),
            Case(
                name: "switch: unknown version", path: "/admin/switch-model", headers: admin,
                body: json(#"{"version":"v99.0.0"}"#), expected: [404]),
            Case(
                name: "switch: unknown target", path: "/admin/switch-model", headers: admin,
                body: json(#"{"version":"v0.1.0","target":"../x"}"#), expected: [400]),
            Case(
                name: "switch: wrong types", path: "/admin/switch-model", headers: admin,
                body: json(#"{"version":[1],"target":{}}"#), expected: [400]),
            Case(
                name: "train: unknown algorithm", path: "/train", headers: admin,
                body: json(#"{"algorithm":"../../bin/sh"}"#), expected: [400]),
            Case(
                name: "train: snapshot traversal", path: "/train", headers: admin,
                body: json(#"{"snapshotId":"../../models/v0.1.0/metadata"}"#), expected: [400]),
            Case(
                name: "train: absurd hyperparameters", path: "/train", headers: admin,
                body: json(#"{"algorithm":"ials","hyperparameters":{"factors":1e300,"iterations":-5}}"#),
                expected: [400]),
            Case(
                name: "train: NaN-like hyperparameter", path: "/train", headers: admin,
                body: json(#"{"algorithm":"ials","hyperparameters":{"factors":1e400}}"#), expected: [400]),
            Case(
                name: "train: wrong types", path: "/train", headers: admin, body: json(#"{"tune":"yes"}"#),
                expected: [400]),
        ] + traceCases
    }

    @Test func everyBadRequestGetsAJSONClientErrorAndTheKeyIsNeverWritten() async throws {
        let server = try RideEaseProcess(
            ["serve", "--host", "127.0.0.1", "--port", "0", "--no-schedule", "--demo"],
            environment: ["MODEL_ADMIN_API_KEY": Self.adminKey, "LOG_LEVEL": "debug"],
            directory: directory
        )
        let port = try await server.waitForPort(timeout: .seconds(180))
        for testCase in Self.cases {
            let answer = try RawExchange.send(
                port: port, method: testCase.method, path: testCase.path, headers: testCase.headers,
                body: testCase.body, declaredLength: testCase.declaredLength)
            #expect(
                testCase.expected.contains(answer.status),
                "\(testCase): \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
            #expect(answer.status < 500, "\(testCase) must never be a server error")
            if answer.status >= 400 {
                // POST /events answers a batch whose every event was rejected with its receipt (documented:
                // each rejection names its index and error); every other client error is the error envelope.
                let isRejectedBatch =
                    testCase.path == "/events" && (answer.json?["rejected"] as? [Any])?.isEmpty == false
                #expect(
                    answer.errorCode != nil || isRejectedBatch,
                    "\(testCase): a JSON error envelope, not \(answer.body.prefix(200))")
                #expect(answer.headers["content-type"] == "application/json", "\(testCase)")
            }
        }
        // The right key still works (so the refusals above were about the key), under any header-name case.
        let models = try RawExchange.send(
            port: port, method: "GET", path: "/admin/models", headers: ["X-API-KEY": Self.adminKey])
        #expect(models.status == 200)
        let health = try RawExchange.send(port: port, method: "GET", path: "/healthz")
        #expect(health.status == 200, "the server survived every case")

        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
        #expect(!server.stdout.contains(Self.adminKey), "the admin key must never be logged")
        #expect(!server.stderr.contains(Self.adminKey), "the admin key must never be logged")
        let data = directory.appendingPathComponent(".rideease")
        let files = FileManager.default.enumerator(at: data, includingPropertiesForKeys: nil)?.allObjects ?? []
        var traceFiles = 0
        for case let file as URL in files where !file.hasDirectoryPath {
            let contents = (try? Data(contentsOf: file)) ?? Data()
            #expect(contents.range(of: Data(Self.adminKey.utf8)) == nil, "the admin key is stored in \(file.path)")
            if file.path.contains("/traces/") { traceFiles += 1 }
        }
        #expect(traceFiles > 0, "the accepted recommendation wrote a trace, so the scan above covered traces")
    }

    @Test func theServedOpenAPIDocumentIsTheRepositoryFile() async throws {
        let server = try RideEaseProcess(
            ["serve", "--host", "127.0.0.1", "--port", "0", "--no-schedule"], directory: directory)
        let port = try await server.waitForPort()
        let served = try RawExchange.send(port: port, method: "GET", path: "/openapi.yaml")
        let file = try Data(contentsOf: RideEaseProcess.packageRoot.appendingPathComponent("openapi.yaml"))
        #expect(served.status == 200)
        #expect(served.headers["content-type"] == "application/yaml")
        #expect(
            served.body == file,
            "openapi.yaml changed: run scripts/generate-openapi-swift.py to regenerate Sources/Emulator/OpenAPI/OpenAPIDocument.swift"
        )
        let head = try RawExchange.send(port: port, method: "HEAD", path: "/openapi.yaml")
        #expect(head.status == 200 && head.headers["content-length"] == String(file.count))
        let post = try RawExchange.send(port: port, method: "POST", path: "/openapi.yaml")
        #expect(post.status == 405 && post.errorCode == "method_not_allowed")
        server.signal(SIGTERM)
        _ = try await server.waitForExit(timeout: .seconds(10))
    }

    @Test(arguments: [
        "service: rideease\nfunctions:\n  healthz: [handler: healthz\n",
        "service: rideease\nfunctions:\n\thealthz:\n\t\thandler: healthz\n",
        "\u{0}\u{1}\u{2}garbage\u{FF}",
        "",
        "service: rideease\nfunctions:\n  a: &x {handler: healthz, http: *x}\n",
        "service: rideease\nfunctions:\n  docs:\n    handler: healthz\n    http: GET /openapi.yaml\n",
        String(repeating: "[", count: 100_000),
    ])
    func aMalformedManifestIsAClearErrorNotACrash(manifest: String) async throws {
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("broken.yaml"))
        let result = try await RideEaseProcess.run(
            ["serve", "--host", "127.0.0.1", "--port", "0", "--no-schedule", "--manifest", "broken.yaml"],
            directory: directory)
        #expect(result.status == 1, "exit 1 with a message, not a trap or a signal: \(result.stderr)")
        #expect(result.stderr.hasPrefix("rideease: "), "\(result.stderr)")
        #expect(result.stderr.contains("broken.yaml"), "the message names the file: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func aCorruptedArtifactIsRefusedNotServed() async throws {
        let seed = try RideEaseProcess(
            ["serve", "--host", "127.0.0.1", "--port", "0", "--no-schedule", "--demo"], directory: directory)
        _ = try await seed.waitForPort(timeout: .seconds(180))
        seed.signal(SIGTERM)
        #expect(try await seed.waitForExit(timeout: .seconds(15)) == 0)
        let artifact = directory.appendingPathComponent(".rideease/data/models/v0.1.0/model.bin")
        var bytes = try Data(contentsOf: artifact)
        for index in stride(from: bytes.count / 2, to: bytes.count, by: 97) { bytes[index] ^= 0x5A }
        try bytes.write(to: artifact)

        let server = try RideEaseProcess(
            ["serve", "--host", "127.0.0.1", "--port", "0", "--no-schedule"],
            environment: ["MODEL_ADMIN_API_KEY": Self.adminKey],
            directory: directory)
        let port = try await server.waitForPort()
        let ready = try RawExchange.send(port: port, method: "GET", path: "/healthz?probe=ready")
        #expect(ready.status == 503, "a corrupt model must not serve")
        let recommend = try RawExchange.send(
            port: port, method: "POST", path: "/recommendations", body: Self.json(#"{"userId":"rider-0001"}"#))
        #expect(recommend.status == 503 && recommend.errorCode == "unavailable")
        let switched = try RawExchange.send(
            port: port, method: "POST", path: "/admin/switch-model", headers: Self.admin,
            body: Self.json(#"{"version":"v0.1.0"}"#))
        #expect(switched.status == 400 && switched.errorCode == "failed_precondition")
        #expect(String(decoding: switched.body, as: UTF8.self).contains("corrupt"), "the error says why")
        #expect(server.process.isRunning)
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
    }
}
