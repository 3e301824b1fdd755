import Foundation
import Synchronization

/// The latest log lines of this process, bounded, for the console's Logs page (stdout remains the record).
/// It lives with its only reader; the host's log handler writes into it.
package final class RecentLogLines: Sendable {
    /// One logged entry, its metadata rendered as text.
    package struct Line: Sendable, Equatable {
        package var time: Date
        package var severity: String
        package var message: String
        package var fields: [String: String]

        package init(time: Date, severity: String, message: String, fields: [String: String]) {
            self.time = time
            self.severity = severity
            self.message = message
            self.fields = fields
        }

        package var function: String? { fields["function"] }
        package var requestId: String? { fields["requestId"] }
    }

    package let capacity: Int
    private let ring: Mutex<(lines: [Line], next: Int)>

    package init(capacity: Int = 2000) {
        precondition(capacity > 0, "a ring needs room for one line")
        self.capacity = capacity
        ring = Mutex(([], 0))
    }

    package func append(_ line: Line) {
        ring.withLock { ring in
            if ring.lines.count < capacity {
                ring.lines.append(line)
            } else {
                ring.lines[ring.next] = line
            }
            ring.next = (ring.next + 1) % capacity
        }
    }

    /// Matching lines, newest first; a `nil` filter matches every line.
    package func lines(function: String? = nil, requestId: String? = nil, limit: Int = 500) -> [Line] {
        let ordered = ring.withLock { ring in
            ring.lines.count < capacity
                ? Array(ring.lines.reversed())
                : Array((ring.lines[ring.next...] + ring.lines[..<ring.next]).reversed())
        }
        return Array(
            ordered.lazy.filter { line in
                (function == nil || line.function == function) && (requestId == nil || line.requestId == requestId)
            }
            .prefix(limit))
    }
}
