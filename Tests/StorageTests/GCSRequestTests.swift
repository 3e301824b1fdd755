import Foundation
import Storage
import Testing

/// GCS through its XML API: no GCS server here, so the requests themselves are checked.
@Suite("GCS dialect requests")
struct GCSRequestTests {
    func makeStore(_ transport: StubTransport) throws -> S3Store {
        try S3Store(
            configuration: .googleCloudStorage(bucket: "rideease-prod", keyPrefix: "state/"),
            credentials: StaticCredentialsProvider(testCredentials),
            transport: transport,
            now: { fixedDate }
        )
    }

    @Test("create-only uses generation 0; the generation is the ETag")
    func createOnly() async throws {
        let transport = StubTransport([
            StubTransport.status(200, ["x-goog-generation": "1712345678901234", "etag": "\"md5\""])
        ])
        let etag = try await makeStore(transport).put(
            "deployments/exp.json", data: Data("{}".utf8), precondition: .ifNoneMatch)
        #expect(etag == "1712345678901234")
        let request = try #require(transport.requests.first)
        #expect(request.method == "PUT")
        #expect(request.scheme == "https")
        #expect(request.hostHeader == "storage.googleapis.com")
        #expect(request.encodedPath == "/rideease-prod/state/deployments/exp.json")
        #expect(request.header("x-goog-if-generation-match") == "0")
        #expect(request.header("If-None-Match") == nil)
        #expect(request.header("If-Match") == nil)
        #expect(
            request.header("x-amz-content-sha256") == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        )
        let authorization = try #require(request.header("Authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20231114/auto/s3/aws4_request, "))
        #expect(
            authorization.contains(
                "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-goog-if-generation-match,"))
        #expect(request.header("x-amz-date") == "20231114T221320Z")
    }

    @Test("compare-and-swap sends the generation it read")
    func compareAndSwap() async throws {
        let transport = StubTransport([
            StubTransport.status(200, ["x-goog-generation": "42", "etag": "\"md5\""], body: "v1"),
            StubTransport.status(200, ["x-goog-generation": "43"]),
            StubTransport.error(
                412, code: "PreconditionFailed",
                message: "At least one of the pre-conditions you specified did not hold."),
        ])
        let store = try makeStore(transport)
        let current = try #require(try await store.get("deployments/exp.json"))
        #expect(current.etag == "42")
        let next = try await store.put(
            "deployments/exp.json", data: Data("v2".utf8), precondition: .ifMatch(current.etag))
        #expect(next == "43")
        #expect(transport.requests[1].header("x-goog-if-generation-match") == "42")
        await expectPreconditionFailed("deployments/exp.json") {
            try await store.put("deployments/exp.json", data: Data("v3".utf8), precondition: .ifMatch("42"))
        }
    }

    @Test("listings use the generation as the ETag and strip the key prefix")
    func listing() async throws {
        let xml = """
            <?xml version='1.0' encoding='UTF-8'?>
            <ListBucketResult xmlns="http://doc.s3.amazonaws.com/2006-03-01"><Name>rideease-prod</Name>
            <Prefix>state/models/</Prefix><IsTruncated>true</IsTruncated>
            <NextContinuationToken>CgtzdGF0ZS9tb2RlbHM=</NextContinuationToken>
            <Contents><Key>state/models/v1/model.bin</Key><Generation>1700000000000001</Generation>
            <MetaGeneration>1</MetaGeneration><LastModified>2023-11-14T22:13:20.123Z</LastModified>
            <ETag>"d41d8cd98f00b204e9800998ecf8427e"</ETag><Size>1234</Size></Contents>
            </ListBucketResult>
            """
        let transport = StubTransport([StubTransport.status(200, body: xml)])
        let page = try await makeStore(transport).list(prefix: "models/", continuationToken: nil, maxKeys: 50)
        #expect(page.objects.map(\.key) == ["models/v1/model.bin"])
        #expect(page.objects.first?.etag == "1700000000000001")
        #expect(page.objects.first?.size == 1234)
        let modified = try #require(page.objects.first?.lastModified)
        #expect(abs(modified.timeIntervalSince1970 - 1_700_000_000.123) < 0.001)
        #expect(page.continuationToken == "CgtzdGF0ZS9tb2RlbHM=")
        let request = try #require(transport.requests.first)
        #expect(request.encodedPath == "/rideease-prod")
        #expect(request.encodedQuery == "list-type=2&max-keys=50&prefix=state%2Fmodels%2F")
    }

    @Test("virtual-hosted addressing puts the bucket in the host name")
    func virtualHosted() throws {
        var configuration = S3Configuration(
            bucket: "my-bucket",
            keyPrefix: "p",
            endpoint: URL(string: "https://s3.eu-west-1.amazonaws.com:443")!,
            region: "eu-west-1",
            addressing: .virtual
        )
        var request = S3RequestBuilder(configuration: configuration).get("a b/c")
        #expect(request.hostHeader == "my-bucket.s3.eu-west-1.amazonaws.com")
        #expect(request.encodedPath == "/p/a%20b/c")
        configuration.addressing = .path
        configuration.endpoint = URL(string: "http://127.0.0.1:9000")!
        request = S3RequestBuilder(configuration: configuration).get("a b/c")
        #expect(request.url?.absoluteString == "http://127.0.0.1:9000/my-bucket/p/a%20b/c")
    }
}
