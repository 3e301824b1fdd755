import Foundation
import Storage
import Testing

/// Retries: which failures are retried, how many times, and what the caller sees when they run out.
@Suite("S3Store retries")
struct S3RetryTests {
    func makeStore(_ transport: StubTransport, attempts: Int = 4) throws -> S3Store {
        let configuration = S3Configuration(
            bucket: "bucket",
            endpoint: URL(string: "http://127.0.0.1:1")!,
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        )
        return try S3Store(
            configuration: configuration,
            credentials: StaticCredentialsProvider(testCredentials),
            transport: transport,
            now: { fixedDate }
        )
    }

    @Test("5xx, 429 and connection errors are retried, then succeed")
    func transientFailuresAreRetried() async throws {
        let transport = StubTransport([
            StubTransport.error(503, code: "SlowDown"),
            .connectionRefused,
            StubTransport.error(429, code: "TooManyRequests"),
            StubTransport.status(200, ["etag": "\"abc\""], body: "hello"),
        ])
        let object = try #require(try await makeStore(transport).get("a/b"))
        #expect(object.data == Data("hello".utf8))
        #expect(transport.requests.count == 4)
        // Each attempt is signed afresh.
        #expect(transport.requests.allSatisfy { $0.header("Authorization") != nil })
    }

    @Test("retries are bounded and end in a clear unavailable error")
    func retriesAreBounded() async throws {
        let transport = StubTransport([], otherwise: StubTransport.error(500, code: "InternalError", message: "boom"))
        do {
            try await makeStore(transport, attempts: 3).put("k", data: Data("x".utf8), precondition: .ifNoneMatch)
            Issue.record("expected unavailable")
        } catch StorageError.unavailable(let endpoint, let attempts, let reason) {
            #expect(endpoint == "http://127.0.0.1:1")
            #expect(attempts == 3)
            #expect(reason.contains("HTTP 500 InternalError: boom"))
        }
        #expect(transport.requests.count == 3)
        // The conditional header is on every attempt: a repeat can never overwrite someone else's write.
        #expect(transport.requests.allSatisfy { $0.header("If-None-Match") == "*" })
    }

    @Test("other 4xx answers are never retried", arguments: [400, 403, 404, 405, 409, 412])
    func clientErrorsAreNotRetried(status: Int) async throws {
        let transport = StubTransport([], otherwise: StubTransport.error(status, code: "Whatever"))
        await #expect(throws: StorageError.self) {
            try await makeStore(transport).put("k", data: Data(), precondition: .ifMatch("\"e\""))
        }
        #expect(transport.requests.count == 1)
    }

    @Test("412 and 409 ConditionalRequestConflict are precondition failures")
    func preconditionStatuses() async throws {
        for reply in [
            StubTransport.error(412, code: "PreconditionFailed"),
            StubTransport.error(409, code: "ConditionalRequestConflict"),
        ] {
            let transport = StubTransport([reply])
            await expectPreconditionFailed("k") {
                try await makeStore(transport).put("k", data: Data(), precondition: .ifMatch("\"e\""))
            }
        }
    }

    @Test("S3 XML errors become clear messages")
    func backendErrors() async throws {
        let transport = StubTransport([
            StubTransport.error(404, code: "NoSuchBucket", message: "The specified bucket does not exist")
        ])
        do {
            _ = try await makeStore(transport).get("k")
            Issue.record("expected NoSuchBucket")
        } catch let error as StorageError {
            #expect(
                error
                    == .backend(
                        code: "NoSuchBucket", message: "The specified bucket does not exist", status: 404, key: "k"))
            #expect(
                "\(error)"
                    == "storage backend error NoSuchBucket (HTTP 404) for \"k\": The specified bucket does not exist")
        }
    }

    @Test("full-jitter delays stay within the exponential bound")
    func backoffBounds() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        var generator = SystemRandomNumberGenerator()
        for retry in 1...8 {
            let ceiling = min(Duration.seconds(1), .milliseconds(100) * (1 << (retry - 1)))
            for _ in 0..<50 {
                let delay = policy.delay(beforeRetry: retry, using: &generator)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
    }
}
