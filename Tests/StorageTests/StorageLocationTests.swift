import Foundation
import Storage
import Testing

/// `RIDEEASE_STORAGE` parsing: every accepted form, and a clear error for the rest.
@Suite("Storage locations")
struct StorageLocationTests {
    @Test("folders: file URLs, absolute and relative paths")
    func folders() throws {
        #expect(try StorageLocation.parse("file:///var/lib/rideease") == .folder("/var/lib/rideease"))
        #expect(try StorageLocation.parse("file://localhost/tmp/x/") == .folder("/tmp/x"))
        #expect(try StorageLocation.parse("/srv/state") == .folder("/srv/state"))
        #expect(try StorageLocation.parse("./data", currentDirectory: "/home/me/app") == .folder("/home/me/app/data"))
        #expect(
            try StorageLocation.parse("../common/data", currentDirectory: "/home/me/app")
                == .folder("/home/me/common/data"))
        #expect(try StorageLocation.parse(".rideease", currentDirectory: "/w") == .folder("/w/.rideease"))
    }

    @Test("s3 URLs with endpoint, region, addressing and prefix")
    func s3() throws {
        let location = try StorageLocation.parse(
            "s3://models-bucket/team/a?endpoint=http://127.0.0.1:9000&region=eu-west-1&addressing=path"
        )
        guard case .bucket(let configuration) = location else {
            Issue.record("not a bucket")
            return
        }
        #expect(configuration.bucket == "models-bucket")
        #expect(configuration.keyPrefix == "team/a")
        #expect(configuration.endpoint.absoluteString == "http://127.0.0.1:9000")
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.addressing == .path)
        #expect(configuration.dialect == .s3)
        #expect(configuration.signingCompatibility == .standard)
        #expect(configuration.partSize == 8 * 1024 * 1024)

        guard case .bucket(let parts) = try StorageLocation.parse("s3://b-1?partSizeMiB=64") else {
            Issue.record("not a bucket")
            return
        }
        #expect(parts.partSize == 64 * 1024 * 1024)

        guard case .bucket(let aws) = try StorageLocation.parse("s3://b-1", environment: ["AWS_REGION": "us-west-2"])
        else {
            Issue.record("not a bucket")
            return
        }
        #expect(aws.endpoint.absoluteString == "https://s3.us-west-2.amazonaws.com")
        #expect(aws.addressing == .virtual)
        #expect(aws.keyPrefix == "")
    }

    @Test("gs URLs use GCS's XML API and HMAC keys")
    func gcs() throws {
        let store = try makeObjectStore(
            from: "gs://rideease-prod/state",
            environment: ["GOOGLE_HMAC_ACCESS_ID": "GOOG1EXAMPLE", "GOOGLE_HMAC_SECRET": "secret"]
        )
        let s3 = try #require(store as? S3Store)
        #expect(s3.configuration.dialect == .gcs)
        #expect(s3.configuration.endpoint.absoluteString == "https://storage.googleapis.com")
        #expect(s3.configuration.region == "auto")
        #expect(store.uri(for: "models/v1/model.bin") == "gs://rideease-prod/state/models/v1/model.bin")
    }

    @Test("the factory picks the backend and prepends the prefix")
    func factory() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try makeObjectStore(from: folder.absoluteString, environment: [:]) is FileStore)
        let store = try makeObjectStore(
            from: "s3://bucket/prefix/?endpoint=http://127.0.0.1:9000&signing=moto",
            environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"]
        )
        #expect(store.uri(for: "k/v") == "s3://bucket/prefix/k/v")
        #expect((store as? S3Store)?.configuration.signingCompatibility == .motoDecodedQuery)
        #expect(throws: StorageError.missingCredentials("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")) {
            try makeObjectStore(from: "s3://bucket", environment: [:])
        }
    }

    static let badLocations: [(String, String)] = [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("ftp://host/x", "unsupported scheme \"ftp\""),
        ("file://relative/path", "three slashes"),
        ("s3://", "the bucket name is missing"),
        ("s3://Bad_Bucket!", "bucket names are"),
        ("s3://bucket?endpoint=notaurl", "is not a URL"),
        ("s3://bucket?color=blue", "unknown parameter \"color\""),
        ("s3://bucket?addressing=sideways", "addressing must be"),
        ("s3://bucket?partSizeMiB=4", "partSizeMiB must be a whole number 5-5120"),
        ("s3://bucket?partSizeMiB=big", "partSizeMiB must be"),
        ("s3://bucket?region=", "has no value"),
        ("s3://user:pw@bucket", "credentials in the environment"),
        ("s3://bucket/a/../b", "the key prefix"),
        ("c:thing", "unrecognised form"),
    ]

    @Test("bad URLs are clear startup errors", arguments: badLocations)
    func badURLs(location: String, fragment: String) {
        do {
            _ = try makeObjectStore(
                from: location, environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b"])
            Issue.record("\(location) was accepted")
        } catch let error as StorageError {
            guard case .invalidLocation = error else {
                Issue.record("expected invalidLocation, got \(error)")
                return
            }
            #expect("\(error)".contains(fragment), "\(error)")
            #expect("\(error)".hasPrefix("invalid storage location"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
