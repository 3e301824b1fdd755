import Foundation
import Storage
import TestRequirements
import Testing

/// The server stops mid-run: calls fail with a clear error after bounded retries, nothing partial is ever read,
/// and once the server is back (same port, fresh state, new key) writes succeed again.
@Suite("S3Store when the server goes away", .requires(.moto))
struct S3FaultTests {
    @Test("server killed mid-run, then restarted on the same port")
    func serverKilledAndRestarted() async throws {
        let server = try await MotoServer.start()
        let credentials = RotatingCredentials(server.credentials)
        let bucket = MotoServer.uniqueBucketName("fault")
        let retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        let store = try await server.makeStore(bucket: bucket, credentials: credentials, retry: retry)
        try await store.put("state/before", data: Data("1".utf8), precondition: .ifNoneMatch)

        // A large write in flight when the server dies.
        let big = pseudoRandomData(count: 8 * 1024 * 1024)
        async let inflight: String? = try? store.put("state/big", data: big, precondition: .ifNoneMatch)
        try await Task.sleep(for: .milliseconds(30))
        server.stop()
        _ = await inflight

        let started = ContinuousClock.now
        for operation in ["put", "get", "list"] {
            do {
                switch operation {
                case "put": try await store.put("state/during", data: Data("2".utf8), precondition: .ifNoneMatch)
                case "get": _ = try await store.get("state/before")
                default: _ = try await store.list(prefix: "state/", continuationToken: nil, maxKeys: 10)
                }
                Issue.record("\(operation) succeeded with the server down")
            } catch StorageError.unavailable(let endpoint, let attempts, let reason) {
                #expect(endpoint == server.endpoint.absoluteString)
                #expect(attempts == 3)
                #expect(!reason.isEmpty)
                let message = "\(StorageError.unavailable(endpoint: endpoint, attempts: attempts, reason: reason))"
                #expect(message.hasPrefix("storage unavailable at http://127.0.0.1:\(server.port) after 3 attempts: "))
            }
        }
        // Bounded: three operations × three attempts with ≤50 ms waits finish in well under ten seconds.
        #expect(ContinuousClock.now - started < .seconds(10))

        // Back on the same port; moto keeps no state, so the bucket and the IAM user are created again.
        let restarted = try await MotoServer.start(port: server.port)
        defer { restarted.stop() }
        credentials.set(restarted.credentials)
        try await store.createBucketIfNeeded()
        #expect(try await store.get("state/big") == nil)  // never a partial object
        try await store.put("state/after", data: Data("3".utf8), precondition: .ifNoneMatch)
        #expect(try await store.get("state/after")?.data == Data("3".utf8))
        try await store.put("state/big", data: big, precondition: .ifNoneMatch)
        #expect(try await store.get("state/big")?.data == big)
    }
}
