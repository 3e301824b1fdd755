import Foundation
import Storage

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// moto's authentication: before auth is on, an IAM user with an allow-all inline policy and an access key are
/// created through moto's IAM API (signed by our own ``SigV4Signer``); then `POST /moto-api/reset-auth` with body
/// `0` turns authentication on for every later request, so the tests' requests are signature-checked.
extension MotoServer {
    static func setUpAuth(endpoint: URL) async throws -> S3Credentials {
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

}
