import Foundation

/// Finds one rider's lines in a JSON Lines segment (events and traces alike: both name the rider in a top-level
/// `"userId"`), and leaves every other line byte for byte as it was.
///
/// The cheap check is sound for any JSON writer, not only ours: a JSON string equal to the id either shows the
/// id's UTF-8 bytes or contains an escape (`\/`, `\"`, `\u0041`…). So a line holding neither the id's bytes nor
/// a backslash cannot be the rider's and is kept unread; only the others are parsed.
struct RiderLines: Sendable {
    let userId: String
    private let needle: Data

    init(userId: String) {
        self.userId = userId
        needle = Data(userId.utf8)
    }

    /// Whether `bytes` may hold a line of the rider (false: skip the segment without parsing it).
    func mayAppear(in bytes: Data) -> Bool {
        bytes.range(of: needle) != nil || bytes.contains(UInt8(ascii: "\\"))
    }

    /// `bytes` without the rider's lines, and how many were dropped. Lines that are not JSON objects are kept.
    func removing(from bytes: Data) -> (kept: Data, removed: Int) {
        var kept = Data()
        kept.reserveCapacity(bytes.count)
        var removed = 0
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let end = newline.map { bytes.index(after: $0) } ?? bytes.endIndex
            let line = bytes[start..<end]
            if isRiders(line) {
                removed += 1
            } else {
                kept.append(line)
            }
            start = end
        }
        return (kept, removed)
    }

    private func isRiders(_ line: Data) -> Bool {
        guard mayAppear(in: line) else { return false }
        guard let owner = try? JSONDecoder().decode(LineOwner.self, from: line) else { return false }
        return owner.userId == userId
    }

    /// The one field the decision needs; the rest of the line is never decoded.
    private struct LineOwner: Decodable {
        var userId: String?
    }
}
