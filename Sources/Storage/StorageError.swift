import Foundation

/// Everything that can go wrong in the `Storage` module, with a message a user can act on.
///
/// Callers branch on ``preconditionFailed(key:)`` (a lost compare-and-swap race: re-read and retry, or answer 409);
/// every other case is a real failure to report.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A conditional write did not take effect because the object changed (or exists, for create-only writes).
    case preconditionFailed(key: String)
    /// The key is not a valid object key (see ``ObjectKey``).
    case invalidKey(String, reason: String)
    /// A storage URL (`RIDEEASE_STORAGE`) or store configuration cannot be used.
    case invalidLocation(String, reason: String)
    /// Credentials are missing or unusable.
    case missingCredentials(String)
    /// The backend could not be reached (connection refused, timeout, repeated 5xx) even after retries.
    case unavailable(endpoint: String, attempts: Int, reason: String)
    /// The backend answered with an error (an S3/GCS XML error document, or a bare status code).
    case backend(code: String, message: String, status: Int, key: String?)
    /// A local file operation failed (FileStore).
    case io(path: String, operation: String, errno: Int32)
    /// The backend answered with something this client cannot understand.
    case malformedResponse(String)

    /// Whether the store is (probably) only temporarily out of reach, so that a caller should answer "retry
    /// later" (HTTP 503) rather than report a fault.
    public var isTransient: Bool {
        switch self {
        case .unavailable, .io: true
        case .backend(_, _, let status, _): status >= 500 || status == 429
        default: false
        }
    }

    public var description: String {
        switch self {
        case .preconditionFailed(let key):
            return "precondition failed for \"\(key)\": the object was changed or created by another writer"
        case .invalidKey(let key, let reason):
            return "invalid object key \"\(Self.printable(key))\": \(reason)"
        case .invalidLocation(let location, let reason):
            return "invalid storage location \"\(location)\": \(reason)"
        case .missingCredentials(let detail):
            return "missing storage credentials: \(detail)"
        case .unavailable(let endpoint, let attempts, let reason):
            let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
            return "storage unavailable at \(endpoint) after \(tries): \(reason)"
        case .backend(let code, let message, let status, let key):
            let target = key.map { " for \"\($0)\"" } ?? ""
            let text = message.isEmpty ? "" : ": \(message)"
            return "storage backend error \(code) (HTTP \(status))\(target)\(text)"
        case .io(let path, let operation, let code):
            return "\(operation) \"\(path)\" failed: \(String(cString: strerror(code))) (errno \(code))"
        case .malformedResponse(let detail):
            return "malformed storage response: \(detail)"
        }
    }

    /// Control characters would make the message itself misleading (or break a log line), so they are escaped.
    static func printable(_ string: String) -> String {
        var out = ""
        for scalar in string.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out.count > 120 ? String(out.prefix(120)) + "…" : out
    }
}
