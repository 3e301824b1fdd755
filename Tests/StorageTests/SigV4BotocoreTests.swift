import Foundation
import Storage
import TestRequirements
import Testing

/// Our SigV4 signatures must equal botocore's (`S3SigV4Auth`, the reference implementation) for the same
/// requests: fixed time, keys, headers, and query strings with characters that need encoding.
@Suite("SigV4 matches botocore", .requires(.botocore))
struct SigV4BotocoreTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var request: HTTPRequest
        var credentials: S3Credentials
        var region: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "GET object with spaces and tilde",
            request: HTTPRequest(
                method: "GET", scheme: "https", host: "s3.amazonaws.com", port: nil,
                encodedPath: "/bucket/" + S3URIEncoding.encode("dir/a file~v1.json", keepSlash: true)),
            credentials: testCredentials,
            region: "us-east-1"
        ),
        Case(
            name: "ListObjectsV2 with special characters in query values",
            request: HTTPRequest(
                method: "GET", scheme: "http", host: "127.0.0.1", port: 9000, encodedPath: "/bucket",
                query: [
                    ("list-type", "2"), ("prefix", "events/2025 01/ü+&="), ("continuation-token", "a/b=c+d%2F"),
                    ("max-keys", "1000"),
                ]),
            credentials: testCredentials,
            region: "eu-central-1"
        ),
        Case(
            name: "conditional PUT with body, session token, padded header",
            request: HTTPRequest(
                method: "PUT", scheme: "https", host: "bucket.s3.us-west-2.amazonaws.com", port: nil,
                encodedPath: "/deployments/exp-1.json",
                headers: [("Content-Type", "application/octet-stream"), ("If-Match", "  \"abc  def\"  ")],
                body: Data(#"{"control":"v1","treatment":"v2"}"#.utf8)),
            credentials: S3Credentials(
                accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret/with+chars", sessionToken: "token=="),
            region: "us-west-2"
        ),
        Case(
            name: "DELETE on GCS interoperability endpoint",
            request: HTTPRequest(
                method: "DELETE", scheme: "https", host: "storage.googleapis.com", port: nil,
                encodedPath: "/rideease/state/x.json", headers: [("x-goog-if-generation-match", "0")]),
            credentials: testCredentials,
            region: "auto"
        ),
    ]

    @Test("Authorization header equals botocore's", arguments: cases)
    func matchesBotocore(testCase: Case) throws {
        var signed = testCase.request
        SigV4Signer(region: testCase.region).sign(&signed, credentials: testCase.credentials, date: fixedDate)
        let ours = try #require(signed.header("Authorization"))
        let theirs = try Self.botocoreAuthorization(testCase)
        #expect(ours == theirs)
        // A different secret gives a different signature (the comparison is not vacuous).
        var other = testCase.request
        var wrong = testCase.credentials
        wrong.secretAccessKey += "x"
        SigV4Signer(region: testCase.region).sign(&other, credentials: wrong, date: fixedDate)
        #expect(other.header("Authorization") != ours)
    }

    /// Runs botocore on the same request (given as JSON on stdin) and returns its Authorization header.
    static func botocoreAuthorization(_ testCase: Case) throws -> String {
        let request = testCase.request
        let input: [String: Any] = [
            "method": request.method,
            "url": "\(request.scheme)://\(request.hostHeader)\(request.encodedPath)",
            "params": request.query.map { [$0.name, $0.value] },
            "headers": request.headers.map { [$0.name, $0.value] },
            "body": request.body.base64EncodedString(),
            "key": testCase.credentials.accessKeyID,
            "secret": testCase.credentials.secretAccessKey,
            "token": testCase.credentials.sessionToken ?? "",
            "region": testCase.region,
            "epoch": fixedDate.timeIntervalSince1970,
        ]
        let script = """
            import base64, datetime, json, sys
            import botocore.auth
            from botocore.auth import S3SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
            spec = json.load(sys.stdin)
            fixed = datetime.datetime.fromtimestamp(spec["epoch"], datetime.timezone.utc).replace(tzinfo=None)
            botocore.auth.get_current_datetime = lambda *args, **kwargs: fixed
            request = AWSRequest(method=spec["method"], url=spec["url"], params=dict(spec["params"]),
                                 headers=dict(spec["headers"]), data=base64.b64decode(spec["body"]))
            credentials = Credentials(spec["key"], spec["secret"], spec["token"] or None)
            S3SigV4Auth(credentials, "s3", spec["region"]).add_auth(request)
            print(request.headers["Authorization"])
            """
        try ExternalRequirement.botocore.check()
        guard let python = ExternalTools.python else { throw TestSetupError(ExternalRequirement.botocore.message) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: input))
        stdin.fileHandleForWriting.closeFile()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError(
                "botocore signing failed (pip install botocore): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
