import Foundation
import FunctionRuntime
import Functions
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import Emulator

@Suite("the emulator's HTTP host, in process")
struct InProcessHostTests {
    static let manifest = """
        service: rideease
        functions:
          healthz:
            handler: healthz
            http: GET /healthz
          recommendations:
            handler: recommend
            http: POST /recommendations
            maxRequestBytes: 64
          traces:
            handler: getTrace
            http: GET /traces/{requestId}
          admin-models:
            handler: listModels
            http: GET /admin/models
            auth: adminKey
        """

    /// Runs `body` against the real application built as `rideease serve` builds it.
    func withApp(
        environment: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifestURL = directory.appendingPathComponent("functions.yaml")
        try Data(Self.manifest.utf8).write(to: manifestURL)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let exporter = PrometheusExporter(descriptions: FunctionCatalog.metricDescriptions)
        let runtime = try EmulatorRuntime.make(
            manifestPath: manifestURL.path,
            storageLocation: directory.appendingPathComponent("data").path,
            environment: environment,
            logger: logger,
            metricsFactory: exporter
        )
        let app = buildApplication(runtime: runtime, exporter: exporter, host: "127.0.0.1", port: 0, logger: logger)
        try await app.test(.router) { client in try await body(client) }
    }

    static func error(_ response: TestResponse) throws -> (code: String, message: String) {
        struct Envelope: Decodable {
            struct Detail: Decodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        let envelope = try JSONDecoder().decode(Envelope.self, from: Data(buffer: response.body))
        return (envelope.error.code, envelope.error.message)
    }

    @Test func healthzAnswersWithAGeneratedRequestId() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let id = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
            #expect(RequestID.timestamp(of: id) != nil, "a generated id is a UUIDv7: \(id)")
            let body = try JSONDecoder().decode([String: AnyDecodable].self, from: Data(buffer: response.body))
            #expect(body["status"]?.string == "ok")
        }
    }

    @Test func callerUUIDv7IsHonouredAndOtherIdsReplaced() async throws {
        let callerId = RequestID.generate()
        try await withApp { client in
            let kept = try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: callerId])
            #expect(kept.headers[HTTPField.Name("X-Request-Id")!] == callerId)
            for other in ["client-42", "6ba7b810-9dad-41d1-80b4-00c04fd430c8", String(repeating: "x", count: 200)] {
                let replaced = try await client.execute(
                    uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: other])
                let id = try #require(replaced.headers[HTTPField.Name("X-Request-Id")!])
                #expect(id != other)
                #expect(RequestID.timestamp(of: id) != nil)
            }
        }
    }

    @Test func unknownPathIsAJSON404() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/nope", method: .get)
            #expect(response.status == .notFound)
            #expect(try Self.error(response) == ("not_found", "no function serves GET /nope"))
        }
    }

    @Test func wrongMethodIsAJSON405WithAllow() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/recommendations", method: .get)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "POST")
            #expect(try Self.error(response).code == "method_not_allowed")
        }
    }

    @Test func oversizedBodyIsA413() async throws {
        try await withApp { client in
            let response = try await client.execute(
                uri: "/recommendations",
                method: .post,
                body: ByteBuffer(string: String(repeating: "x", count: 65))
            )
            #expect(response.status == .contentTooLarge)
            #expect(try Self.error(response).code == "payload_too_large")
        }
    }

    @Test func malformedTraceIdsAre400() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/traces/..%2F..%2Fetc", method: .get)
            #expect(response.status == .badRequest)
            #expect(try Self.error(response).code == "invalid_argument")
        }
    }

    @Test func recommendationsWithoutAModelAre503() async throws {
        try await withApp { client in
            let response = try await client.execute(
                uri: "/recommendations", method: .post, body: ByteBuffer(string: #"{"userId":"u1"}"#))
            #expect(response.status == .serviceUnavailable)
            #expect(try Self.error(response).message.hasPrefix("no model is deployed yet"))
        }
    }

    @Test func adminRoutesAreClosedWithoutAConfiguredKey() async throws {
        try await withApp { client in
            let response = try await client.execute(uri: "/admin/models", method: .get, headers: [.xAPIKey: "guess"])
            #expect(response.status == .serviceUnavailable)
            #expect(try Self.error(response).message.hasPrefix("admin API disabled"))
        }
    }

    @Test func adminRoutesCheckTheKey() async throws {
        try await withApp(environment: ["MODEL_ADMIN_API_KEY": "k3y"]) { client in
            let missing = try await client.execute(uri: "/admin/models", method: .get)
            #expect(missing.status == .unauthorized)
            let wrong = try await client.execute(uri: "/admin/models", method: .get, headers: [.xAPIKey: "k3"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(uri: "/admin/models", method: .get, headers: [.xAPIKey: "k3y"])
            #expect(right.status == .ok)
            #expect(String(buffer: right.body) == #"{"models":[]}"#)
        }
    }

    @Test func metricsExposeInvocationsPerFunction() async throws {
        try await withApp { client in
            _ = try await client.execute(uri: "/healthz", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(buffer: response.body)
            #expect(text.contains("# HELP rideease_function_invocations_total "))
            #expect(
                text.contains(#"rideease_function_invocations_total{function="healthz",trigger="http",code="200"} 1"#))
            #expect(
                text.contains(#"rideease_function_invocations_total{function="traces",trigger="http",code="200"} 0"#))
            #expect(text.contains("# TYPE rideease_function_duration_seconds histogram"))
        }
    }
}

extension HTTPField.Name {
    static let xAPIKey = Self("x-api-key")!
}

/// Enough of a JSON value to read fields in assertions.
struct AnyDecodable: Decodable {
    let string: String?

    init(from decoder: any Decoder) throws {
        string = try? decoder.singleValueContainer().decode(String.self)
    }
}
