import Foundation
import Storage
import TestRequirements
import Testing

/// Against the real moto server with signature checking on: the right key works, wrong ones are refused with a
/// clear error.
@Suite("S3Store against moto: authentication and errors", .requires(.moto))
struct S3AuthTests {
    @Test("the IAM user's key is accepted")
    func rightKeyAccepted() async throws {
        let server = try await SharedMoto.shared.get()
        let store = try await server.makeStore()
        let etag = try await store.put("auth/ok", data: Data("ok".utf8), precondition: .ifNoneMatch)
        #expect(try await store.get("auth/ok")?.etag == etag)
    }

    @Test("a wrong secret is rejected with SignatureDoesNotMatch")
    func wrongSecretRejected() async throws {
        let server = try await SharedMoto.shared.get()
        let good = try await server.makeStore()
        var wrong = server.credentials
        wrong.secretAccessKey = "not-the-secret"
        let bad = try await server.makeStore(
            bucket: good.configuration.bucket,
            credentials: StaticCredentialsProvider(wrong),
            createBucket: false
        )
        do {
            try await bad.put("auth/denied", data: Data("x".utf8), precondition: .none)
            Issue.record("a wrong secret was accepted")
        } catch StorageError.backend(let code, _, let status, let key) {
            #expect(code == "SignatureDoesNotMatch")
            #expect(status == 403)
            #expect(key == "auth/denied")
        }
        #expect(try await good.get("auth/denied") == nil)
    }

    @Test("an unknown access key is rejected with InvalidAccessKeyId")
    func unknownKeyRejected() async throws {
        let server = try await SharedMoto.shared.get()
        let good = try await server.makeStore()
        let stranger = S3Credentials(accessKeyID: "test-unknown-key-00", secretAccessKey: "whatever")
        let bad = try await server.makeStore(
            bucket: good.configuration.bucket,
            credentials: StaticCredentialsProvider(stranger),
            createBucket: false
        )
        do {
            _ = try await bad.get("auth/x")
            Issue.record("an unknown key was accepted")
        } catch let error as StorageError {
            guard case .backend(let code, _, 403, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(code == "InvalidAccessKeyId")
            #expect("\(error)".contains("InvalidAccessKeyId (HTTP 403)"))
        }
    }

    @Test("a missing bucket is an error, not a missing object")
    func missingBucket() async throws {
        let server = try await SharedMoto.shared.get()
        let store = try await server.makeStore(bucket: MotoServer.uniqueBucketName("absent"), createBucket: false)
        await #expect(throws: StorageError.self) { _ = try await store.get("k") }
        do {
            try await store.put("k", data: Data(), precondition: .none)
        } catch StorageError.backend(let code, _, let status, _) {
            #expect(code == "NoSuchBucket")
            #expect(status == 404)
        }
    }

    @Test("standard signing of a '/' in a query value is what moto cannot verify (why signing=moto exists)")
    func motoQuirkIsReal() async throws {
        let server = try await SharedMoto.shared.get()
        let quirky = try await server.makeStore()
        try await quirky.put("dir/x", data: Data(), precondition: .none)
        var configuration = quirky.configuration
        configuration.signingCompatibility = .standard
        let standard = try S3Store(
            configuration: configuration, credentials: StaticCredentialsProvider(server.credentials))
        // Without a slash in the query both agree…
        #expect(try await standard.list(prefix: "dir", continuationToken: nil, maxKeys: 10).objects.count == 1)
        // …with one, moto (like boto3 against moto) rejects the spec-conforming signature.
        await #expect(
            throws: StorageError.backend(
                code: "SignatureDoesNotMatch",
                message: "The request signature we calculated does not match the signature you provided. "
                    + "Check your key and signing method.",
                status: 403,
                key: nil
            )
        ) {
            _ = try await standard.list(prefix: "dir/", continuationToken: nil, maxKeys: 10)
        }
        #expect(
            try await quirky.list(prefix: "dir/", continuationToken: nil, maxKeys: 10).objects.map(\.key) == ["dir/x"])
    }
}
