import Foundation

extension BadInputTests {
    /// Trace lookups: a key first (a trace names a rider), then the request id's form.
    static var traceCases: [Case] {
        [
            Case(
                name: "trace: traversal", method: "GET", path: "/traces/..%2F..%2Fetc%2Fpasswd", headers: admin,
                expected: [400]),
            Case(
                name: "trace: dot segments", method: "GET", path: "/traces/../../etc/passwd", headers: admin,
                expected: [400, 404]),
            Case(name: "trace: not a UUID", method: "GET", path: "/traces/abc", headers: admin, expected: [400]),
            Case(
                name: "trace: unicode id", method: "GET", path: "/traces/%F0%9F%9A%95", headers: admin, expected: [400]),
            Case(name: "trace: NUL in id", method: "GET", path: "/traces/%00", headers: admin, expected: [400]),
            Case(
                name: "trace: UUIDv7 never issued", method: "GET", path: "/traces/0190e0a0-1234-7abc-8def-0123456789ab",
                headers: admin, expected: [404]),
            Case(
                name: "trace: no key", method: "GET", path: "/traces/0190e0a0-1234-7abc-8def-0123456789ab",
                expected: [401]),
            Case(
                name: "trace: wrong key", method: "GET", path: "/traces/0190e0a0-1234-7abc-8def-0123456789ab",
                headers: ["x-api-key": "not-a-key"], expected: [401]),
        ]
    }
}
