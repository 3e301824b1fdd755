import Foundation
import Synchronization

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
        let (data, response) = try await Self.data(for: urlRequest, in: session, deadline: timeout * 2)
        guard let http = response as? HTTPURLResponse else {
            throw StorageError.malformedResponse("not an HTTP response from \(url.absoluteString)")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

    /// `session.data(for:)`, but never longer than `deadline`: past it the request fails (and the caller's retry
    /// policy tries again) even if URLSession never answers.
    ///
    /// FoundationNetworking's URLSession can lose a task under concurrent load — it neither completes nor times out
    /// (swift-corelibs-foundation #3876, #3287) — and a request stuck forever stalls everything waiting on the store.
    /// The request runs in its own task and races a timer for one continuation; a lost task is cancelled and left
    /// behind rather than awaited, since awaiting it is exactly what would hang.
    static func data(
        for request: URLRequest, in session: URLSession, deadline: Duration
    ) async throws -> (Data, URLResponse) {
        let outcome = OnceContinuation<(Data, URLResponse)>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.set(continuation)
                let request = Task {
                    do {
                        outcome.resume(with: .success(try await session.data(for: request)))
                    } catch {
                        outcome.resume(with: .failure(error))
                    }
                }
                Task {
                    try? await Task.sleep(for: deadline)
                    request.cancel()
                    outcome.resume(with: .failure(URLError(.timedOut)))
                }
                outcome.onCancel { request.cancel() }
            }
        } onCancel: {
            outcome.resume(with: .failure(CancellationError()))
        }
    }
}

/// A continuation resumed by whichever of several racers comes first; the others are ignored.
final class OnceContinuation<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var early: Result<Value, any Error>?
        var done = false
        var cancel: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func set(_ continuation: CheckedContinuation<Value, any Error>) {
        let early = state.withLock { state -> Result<Value, any Error>? in
            guard let early = state.early else {
                state.continuation = continuation
                return nil
            }
            return early
        }
        if let early { continuation.resume(with: early) }
    }

    func onCancel(_ cancel: @escaping @Sendable () -> Void) {
        let done = state.withLock { state in
            state.cancel = cancel
            return state.done
        }
        if done { cancel() }
    }

    func resume(with result: Result<Value, any Error>) {
        let (continuation, cancel) = state.withLock {
            state -> (CheckedContinuation<Value, any Error>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = result
                return (nil, state.cancel)
            }
            state.continuation = nil
            return (continuation, state.cancel)
        }
        continuation?.resume(with: result)
        if case .failure = result { cancel?() }
    }
}
