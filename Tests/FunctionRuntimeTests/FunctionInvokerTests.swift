import Foundation
import FunctionRuntime
import Offload
import Storage
import Synchronization
import Testing

@Suite("the invoker enforces the manifest")
struct FunctionInvokerTests {
    static func declaration(
        timeout: Duration = .seconds(5),
        auth: AuthPolicy = .none,
        maxRequestBytes: Int = 1024,
        environment: [String] = [],
        secrets: [String] = []
    ) -> FunctionDeclaration {
        FunctionDeclaration(
            name: "echo",
            handler: "echo",
            httpTriggers: [HTTPTrigger(method: "POST", path: try! PathTemplate("/echo"))],
            timeout: timeout,
            auth: auth,
            maxRequestBytes: maxRequestBytes,
            environment: environment,
            secrets: secrets
        )
    }

    static let echo = ClosureHandler { request, _ in FunctionResponse(body: request.body) }

    @Test func answersAndEchoesTheRequestId() async throws {
        let fixture = try InvokerFixture(function: Self.declaration(), handler: Self.echo)
        let response = await fixture.invoke(FunctionRequest(body: Data("hi".utf8), requestId: "req-1"))
        #expect(response.status == 200)
        #expect(response.body == Data("hi".utf8))
        #expect(response.headers["X-Request-Id"] == "req-1")
    }

    @Test(arguments: [false, true])
    func onlyCPUHeavyHandlersRunOnTheCPUPool(heavy: Bool) async throws {
        // A long timeout: with the whole suite running, the shared pool can be busy for seconds.
        let fixture = try InvokerFixture(
            function: Self.declaration(timeout: .seconds(120)), handler: WhereAmI(isCPUHeavy: heavy))
        let response = await fixture.invoke()
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "\(heavy) \(heavy)", "handler, then its child task")
    }

    @Test(arguments: [
        (StorageError.unavailable(endpoint: "http://127.0.0.1:9", attempts: 4, reason: "refused"), 503),
        (StorageError.backend(code: "SlowDown", message: "slow down", status: 503, key: nil), 503),
        (StorageError.io(path: "/data/x", operation: "fsync", errno: 5), 503),
        (StorageError.backend(code: "AccessDenied", message: "denied", status: 403, key: nil), 500),
        (StorageError.malformedResponse("not XML"), 500),
    ])
    func storageOutagesAre503AndOtherStorageFaults500(error: StorageError, status: Int) async throws {
        let failing = ClosureHandler { _, _ in throw error }
        let fixture = try InvokerFixture(function: Self.declaration(), handler: failing)
        let response = await fixture.invoke()
        #expect(response.status == status)
        if status == 503 {
            #expect(response.headers["Retry-After"] == "5")
            #expect(try response.decodedError().error.code == "unavailable")
        }
    }

    @Test func cooperativeHandlerPastItsTimeoutGets504() async throws {
        let sleeper = ClosureHandler { _, _ in
            try await Task.sleep(for: .seconds(60))
            return FunctionResponse()
        }
        let fixture = try InvokerFixture(function: Self.declaration(timeout: .milliseconds(100)), handler: sleeper)
        let response = await fixture.invoke()
        #expect(response.status == 504)
        #expect(try response.decodedError().error.code == "deadline_exceeded")
    }

    @Test func handlerIgnoringCancellationStillGets504() async throws {
        // The handler spins, never checking cancellation, until the test releases it — which the test does only
        // after it has the 504. If the runtime waited for the handler, the invocation would never return.
        let released = Mutex(false)
        let finished = Mutex(false)
        let stubborn = ClosureHandler { _, _ in
            let safety = ContinuousClock.now.advanced(by: .seconds(120))
            while !released.withLock({ $0 }) && ContinuousClock.now < safety { await Task.yield() }
            finished.withLock { $0 = true }
            return FunctionResponse()
        }
        let fixture = try InvokerFixture(function: Self.declaration(timeout: .milliseconds(100)), handler: stubborn)
        let response = await fixture.invoke()
        let handlerStillRunning = !finished.withLock { $0 }
        released.withLock { $0 = true }
        #expect(response.status == 504)
        #expect(handlerStillRunning, "the 504 came while the handler was still running")
    }

    @Test func bodyOverTheLimitGets413() async throws {
        let fixture = try InvokerFixture(function: Self.declaration(maxRequestBytes: 4), handler: Self.echo)
        let response = await fixture.invoke(FunctionRequest(body: Data("12345".utf8)))
        #expect(response.status == 413)
        #expect(try response.decodedError().error.message == "request body exceeds the limit of 4 bytes")
        let atLimit = await fixture.invoke(FunctionRequest(body: Data("1234".utf8)))
        #expect(atLimit.status == 200)
    }

    @Test func adminFunctionsNeedTheKey() async throws {
        let fixture = try InvokerFixture(
            function: Self.declaration(auth: .adminKey), handler: Self.echo, adminKey: "s3cret")
        let missing = await fixture.invoke(FunctionRequest())
        #expect(missing.status == 401)
        #expect(
            try missing.decodedError().error.message
                == "missing x-api-key header: the admin key (MODEL_ADMIN_API_KEY) required")
        let wrong = await fixture.invoke(FunctionRequest(headers: ["x-api-key": "s3cre"]))
        #expect(wrong.status == 401)
        #expect(
            try wrong.decodedError().error.message == "invalid API key: the admin key (MODEL_ADMIN_API_KEY) required")
        let right = await fixture.invoke(FunctionRequest(headers: ["x-api-key": "s3cret"]))
        #expect(right.status == 200)
        let trusted = await fixture.invoke(FunctionRequest(), checkAuth: false)
        #expect(trusted.status == 200, "scheduled and operator invocations are trusted")
    }

    @Test func adminFunctionsAreClosedWhenNoKeyIsConfigured() async throws {
        let fixture = try InvokerFixture(function: Self.declaration(auth: .adminKey), handler: Self.echo)
        let response = await fixture.invoke(FunctionRequest(headers: ["x-api-key": ""]))
        #expect(response.status == 503)
        #expect(try response.decodedError().error.message.hasPrefix("admin API disabled") == true)
    }

    @Test func adminKeyComparisonIsExactAndRedacted() {
        let key = AdminKey("correct horse")
        #expect(key.matches("correct horse"))
        #expect(!key.matches("correct horse "))
        #expect(!key.matches(""))
        #expect(!key.matches("Correct horse"))
        #expect(!"\(key)".contains("horse"))
    }

    @Test func functionErrorsBecomeJSON() async throws {
        let failing = ClosureHandler { _, _ in throw FunctionError.invalidArgument("limit must be between 1 and 100") }
        let fixture = try InvokerFixture(function: Self.declaration(), handler: failing)
        let response = await fixture.invoke()
        #expect(response.status == 400)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"error":{"code":"invalid_argument","message":"limit must be between 1 and 100"}}"#
        )
    }

    @Test func unexpectedErrorsAre500WithoutInternals() async throws {
        struct Secretive: Error {}
        let failing = ClosureHandler { _, _ in throw Secretive() }
        let fixture = try InvokerFixture(function: Self.declaration(), handler: failing)
        let response = await fixture.invoke()
        #expect(response.status == 500)
        #expect(try response.decodedError().error.message == "internal error")
        #expect(!String(decoding: response.body, as: UTF8.self).contains("Secretive"))
    }

    @Test func handlersSeeOnlyDeclaredConfigurationAndSecrets() async throws {
        let directory = try TemporaryDirectory()
        let secretFile = directory.url.appendingPathComponent("key")
        try Data("from-file\n".utf8).write(to: secretFile)
        let inspect = ClosureHandler { _, context in
            try .json(["configuration": context.configuration, "secrets": context.secrets])
        }
        let fixture = try InvokerFixture(
            function: Self.declaration(environment: ["PIPELINE_GIT_SHA"], secrets: ["TOKEN"]),
            handler: inspect,
            environment: [
                "PIPELINE_GIT_SHA": "abc123", "HOME": "/root", "TOKEN_FILE": secretFile.path, "OTHER": "x",
            ]
        )
        let response = await fixture.invoke()
        let seen = try JSONDecoder().decode([String: [String: String]].self, from: response.body)
        #expect(seen["configuration"] == ["PIPELINE_GIT_SHA": "abc123"])
        #expect(seen["secrets"] == ["TOKEN": "from-file"])
    }

    @Test func unreadableSecretFileIsAStartupError() throws {
        #expect(throws: SecretError.self) {
            try InvokerFixture(
                function: Self.declaration(secrets: ["TOKEN"]),
                handler: Self.echo,
                environment: ["TOKEN_FILE": "/nonexistent/secret"]
            )
        }
    }

    @Test func recordsInvocationMetrics() async throws {
        let failing = ClosureHandler { request, _ in
            if request.body.isEmpty { throw FunctionError.notFound("nothing") }
            return FunctionResponse()
        }
        let fixture = try InvokerFixture(function: Self.declaration(), handler: failing)
        _ = await fixture.invoke(FunctionRequest(body: Data("x".utf8)))
        _ = await fixture.invoke(FunctionRequest())
        _ = await fixture.invoke(FunctionRequest(trigger: .manual))
        let label = FunctionMetrics.invocations
        #expect(
            fixture.metrics.counterTotal(
                label: label, dimensions: [("function", "echo"), ("trigger", "http"), ("code", "200")]) == 1)
        #expect(
            fixture.metrics.counterTotal(
                label: label, dimensions: [("function", "echo"), ("trigger", "http"), ("code", "404")]) == 1)
        #expect(
            fixture.metrics.counterTotal(
                label: label, dimensions: [("function", "echo"), ("trigger", "manual"), ("code", "404")]) == 1)
        let timer = try fixture.metrics.expectTimer(FunctionMetrics.duration, [("function", "echo")])
        #expect(timer.values.count == 3)
    }

    @Test func decodeJSONNamesTheBadField() throws {
        struct Body: Decodable {
            var userId: String
            var limit: Int
        }
        let request = FunctionRequest(body: Data(#"{"userId": 5}"#.utf8))
        #expect(throws: FunctionError.invalidArgument("userId has the wrong type")) {
            try request.decodeJSON(Body.self)
        }
        #expect(throws: FunctionError.invalidArgument("limit is required")) {
            try FunctionRequest(body: Data(#"{"userId": "u"}"#.utf8)).decodeJSON(Body.self)
        }
        #expect(throws: FunctionError.invalidArgument("request body is not valid JSON")) {
            try FunctionRequest(body: Data("{".utf8)).decodeJSON(Body.self)
        }
    }
}

/// Answers whether it ran on `Offload.cpu`, and whether a child task it started did too.
private struct WhereAmI: FunctionHandler {
    let isCPUHeavy: Bool

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let here = Offload.cpu.isCurrent
        async let child = Offload.cpu.isCurrent  // a child task: it inherits the preference
        return FunctionResponse(body: Data("\(here) \(await child)".utf8))
    }
}
