import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends an ``HTTPRequest``: the seam between the S3 protocol logic and the network, so tests can record what
/// would be sent (GCS) without a server.
public protocol HTTPTransport: Sendable {
    /// Sends one request and returns the response; throws only for transport failures (no answer at all).
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse
}

/// An ``HTTPTransport`` over `URLSession` (libcurl on Linux, via FoundationNetworking).
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// Creates a transport with its own session: no cookies, no cache, no credential store.
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 16
        self.session = URLSession(configuration: configuration)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        guard let url = request.url else {
            throw StorageError.invalidLocation("\(request.scheme)://\(request.hostHeader)", reason: "cannot form a URL")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        // URLSession's timeout is an idle timeout: no bytes for this long fails the request.
        urlRequest.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if request.method == "PUT" || request.method == "POST" {
            urlRequest.httpBody = request.body
        }
        let (data, response) = try await session.data(for: urlRequest)
        guard let http = response as? HTTPURLResponse else {
            throw StorageError.malformedResponse("not an HTTP response from \(url.absoluteString)")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }
}
