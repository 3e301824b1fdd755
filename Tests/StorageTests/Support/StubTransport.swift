import Foundation
import Storage
import Synchronization

/// An ``HTTPTransport`` that records every request and answers from a script, for request-building and retry
/// tests that need no server.
final class StubTransport: HTTPTransport {
    enum Reply: Sendable {
        case response(HTTPResponse)
        case connectionRefused
    }

    private let state: Mutex<(replies: [Reply], requests: [HTTPRequest])>
    private let fallback: Reply

    init(
        _ replies: [Reply], otherwise fallback: Reply = .response(HTTPResponse(status: 200, headers: [:], body: Data()))
    ) {
        self.state = Mutex((replies, []))
        self.fallback = fallback
    }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        let reply = state.withLock { state -> Reply in
            state.requests.append(request)
            return state.replies.isEmpty ? fallback : state.replies.removeFirst()
        }
        switch reply {
        case .response(let response):
            return response
        case .connectionRefused:
            throw URLError(.cannotConnectToHost)
        }
    }

    static func status(_ status: Int, _ headers: [String: String] = [:], body: String = "") -> Reply {
        .response(HTTPResponse(status: status, headers: headers, body: Data(body.utf8)))
    }

    static func error(_ status: Int, code: String, message: String = "") -> Reply {
        Self.status(
            status,
            body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
        )
    }
}

/// Credentials that tests can replace while a store is in use (moto hands out a new key after a restart).
final class RotatingCredentials: S3CredentialsProvider {
    private let current: Mutex<S3Credentials>

    init(_ initial: S3Credentials) {
        self.current = Mutex(initial)
    }

    func set(_ credentials: S3Credentials) {
        current.withLock { $0 = credentials }
    }

    func credentials() async throws -> S3Credentials {
        current.withLock { $0 }
    }
}

let testCredentials = S3Credentials(
    accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
let fixedDate = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z
