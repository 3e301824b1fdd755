import Crypto
import Foundation

/// Browser sessions for people who proved they hold the admin key (the emulator's console).
///
/// A browser cannot send `x-api-key` on a navigation, so the console exchanges the key once for a token kept in
/// an HttpOnly cookie. The token is `<issued unix seconds>.<HMAC-SHA256 hex>`: it never contains the key, is
/// checked in constant time, expires, and every token dies when the key is rotated (the HMAC key derives from it).
extension AdminKey {
    /// How long a session lasts.
    public static let sessionLifetime: TimeInterval = 12 * 3600

    /// A session token issued at `issuedAt`.
    public func sessionToken(issuedAt: Date) -> String {
        let issued = String(Int64(issuedAt.timeIntervalSince1970.rounded(.down)))
        let code = HMAC<SHA256>.authenticationCode(for: Data(issued.utf8), using: sessionKey)
        return issued + "." + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `token` was issued with this key, not in the future and less than ``sessionLifetime`` ago.
    public func isValidSession(_ token: String, now: Date) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let issued = Int64(parts[0]), parts[0].allSatisfy(\.isASCII),
            let code = Self.bytes(hex: parts[1]), code.count == SHA256.byteCount
        else { return false }
        guard
            HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Data(parts[0].utf8), using: sessionKey)
        else { return false }
        let age = now.timeIntervalSince1970 - Double(issued)
        // A minute of tolerance for clocks of several instances sharing one key.
        return age >= -60 && age < Self.sessionLifetime
    }

    /// A key used only for sessions: a token can never be replayed as anything else signed from the admin key.
    private var sessionKey: SymmetricKey {
        SymmetricKey(data: SHA256.hash(data: Data("rideease-console-session-v1".utf8) + Data(digest)))
    }

    private static func bytes(hex: Substring) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
