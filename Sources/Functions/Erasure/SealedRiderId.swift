import Crypto
import Foundation

/// A rider id sealed (ChaCha20-Poly1305) under a key derived from the rider-hash key, so that a pending erasure
/// record can be resumed by the scheduled function without holding the id in clear. The record drops it on
/// completion.
extension RiderHash {
    /// `userId` sealed, as base64 text.
    func seal(_ userId: String) throws -> String {
        try ChaChaPoly.seal(Data(userId.utf8), using: sealingKey).combined.base64EncodedString()
    }

    /// The id sealed in `text`, or `nil` when it was sealed under another key (the secret changed) or is damaged.
    func open(_ text: String) -> String? {
        guard let data = Data(base64Encoded: text), let box = try? ChaChaPoly.SealedBox(combined: data),
            let plain = try? ChaChaPoly.open(box, using: sealingKey)
        else { return nil }
        return String(data: plain, encoding: .utf8)
    }

    /// A separate key for sealing, so the hash key itself is used for one purpose only.
    private var sealingKey: SymmetricKey {
        SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data("rideease erasure seal".utf8), using: key)))
    }
}
