import Console
import Foundation
import Logging
import Testing

@testable import Emulator

@Suite("structured log lines")
struct StructuredLogLineTests {
    /// The hand-written line must mean exactly what `JSONSerialization` would have written.
    @Test func aJSONLineIsWhatJSONSerializationWrites() throws {
        let metadata: Logger.Metadata = [
            "logging.googleapis.com/trace": "projects/p/traces/abc",
            "requestId": "019a-\"quoted\"\\",
            "items": .stringConvertible(10),
            "latencyMs": .stringConvertible(1.25),
            "fallback": .stringConvertible(false),
            "note": "tab\tnew\nline \u{1} é 🚕",
            "list": .array(["a", .stringConvertible(2)]),
            "nested": .dictionary(["b": "x", "a": .stringConvertible(3)]),
        ]
        let event = LogEvent(
            level: .notice, message: "prediction \"done\"", metadata: nil, source: "test", file: #fileID,
            function: #function, line: #line)
        let time = Date(timeIntervalSince1970: 1_767_225_600.042)
        let line = StructuredLogHandler.json(event: event, metadata: metadata, time: time)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary)
        let expected: [String: Any] = [
            "severity": "NOTICE", "message": "prediction \"done\"", "time": "2026-01-01T00:00:00.042Z",
            "logging.googleapis.com/trace": "projects/p/traces/abc", "requestId": "019a-\"quoted\"\\", "items": 10,
            "latencyMs": 1.25, "fallback": "false", "note": "tab\tnew\nline \u{1} é 🚕", "list": ["a", 2],
            "nested": ["a": 3, "b": "x"],
        ]
        #expect(parsed == expected as NSDictionary)
        // Keys come sorted, as before, so lines diff well; no slash is escaped.
        #expect(line.hasPrefix(#"{"fallback":"false","items":10,"latencyMs":1.25,"list":["a",2],"#))
        #expect(line.contains(#""logging.googleapis.com/trace":"projects/p/traces/abc""#))
        #expect(!line.contains("\n"))
    }

    @Test func theLogHandlerFeedsTheRing() throws {
        let ring = RecentLogLines(capacity: 10)
        var handler = StructuredLogHandler(
            label: "test", format: .json, toStandardError: true, logLevel: .info, recent: ring)
        handler[metadataKey: "function"] = "train"
        handler.log(
            event: LogEvent(
                level: .warning, message: "slow", metadata: ["requestId": "r-1", "durationMs": "12.5"],
                source: "test", file: #fileID, function: #function, line: #line))
        let line = try #require(ring.lines().first)
        #expect(line.severity == "WARNING")
        #expect(line.function == "train")
        #expect(line.requestId == "r-1")
        #expect(line.fields["durationMs"] == "12.5")
    }
}
