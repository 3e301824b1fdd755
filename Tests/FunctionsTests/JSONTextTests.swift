import Foundation
import FunctionRuntime
import Recommender
import Testing

@testable import Functions

/// The hand-written documents of the request path must be exactly what `JSONEncoder` would produce.
@Suite("hand-written JSON on the request path")
struct JSONTextTests {
    static let awkward = ["plain", "quote \" and \\ backslash", "tab\tnew\nline\r", "\u{1}\u{1f}", "é 東京 🚕", ""]

    @Test(arguments: awkward)
    func stringsDecodeToThemselves(text: String) throws {
        var json = JSONText()
        json.string(text)
        #expect(try JSONDecoder().decode(String.self, from: json.data) == text)
    }

    @Test func numbersAndDatesRoundTrip() throws {
        for value: Float in [0, -1.5, 0.1, 1e-7, 3.4e38, Float.leastNormalMagnitude] {
            var json = JSONText()
            json.number(value)
            #expect(try JSONDecoder().decode(Float.self, from: json.data) == value)
        }
        var invalid = JSONText()
        invalid.number(Double.nan)
        #expect(String(decoding: invalid.data, as: UTF8.self) == "null")
        for seconds in [0.0, 1_767_225_600.75, 951_782_400, 4_102_444_799] {
            let date = Date(timeIntervalSince1970: seconds)
            var json = JSONText()
            json.date(date)
            #expect(json.data == (try JSONCoding.encoder.encode([date]).dropFirst().dropLast()))
        }
    }

    @Test(arguments: awkward)
    func aTraceLineIsWhatTheEncoderWrites(text: String) throws {
        let trace = PredictionTrace(
            requestId: "019abc", userId: text, experimentId: "rec-engine", variant: "treatment",
            modelVersion: "v1.2.3", deploymentGeneration: 7, dataSnapshotId: "snap-\(text)", pipelineGitSha: "cafe",
            containerImageDigest: "sha256:00", artifactUri: "file:///tmp/a b", latencyMs: 0.123,
            recommendations: [.init(itemId: "place-1", score: 0.5), .init(itemId: text, score: -2.25e-3)],
            fallback: true, createdAt: Date(timeIntervalSince1970: 1_767_225_600.5))
        #expect(trace.jsonLine == (try JSONCoding.encoder.encode(trace)))
        #expect(!trace.jsonLine.contains(UInt8(ascii: "\n")))
    }

    @Test func theAnswerIsWhatTheEncoderWrites() throws {
        struct Item: Encodable {
            var itemId: String
            var score: Float
            var rank: Int
        }
        struct Answer: Encodable {
            var requestId, userId, experimentId, variant, modelVersion: String
            var recommendations: [Item]
            var fallback: Bool
        }
        let items = [Recommendation(itemId: "a\"b", score: 1.25), Recommendation(itemId: "c", score: 0.001)]
        let answer = Recommend.answer(
            requestId: "r", userId: "u 🚕", experimentId: "e", variant: "control", modelVersion: "v0.1.0",
            recommendations: items, fallback: false)
        let expected = Answer(
            requestId: "r", userId: "u 🚕", experimentId: "e", variant: "control", modelVersion: "v0.1.0",
            recommendations: items.enumerated().map { Item(itemId: $1.itemId, score: $1.score, rank: $0 + 1) },
            fallback: false)
        #expect(answer.body == (try JSONCoding.encoder.encode(expected)))
        #expect(answer.headers["Content-Type"] == "application/json")
    }
}
