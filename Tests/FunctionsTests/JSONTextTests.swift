import Experiments
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

    @Test func numbersAreWrittenAsTheEncoderWritesThem() throws {
        for value in [0, 1, -3, 0.5, 0.375, 2.25e-3, 1e14, 123_456_789, 1e15, 1e16, 1e20, 0.1 + 0.2, -0.0] as [Double] {
            var json = JSONText()
            json.number(value)
            #expect(json.data == (try JSONCoding.encoder.encode([value]).dropFirst().dropLast()), "\(value)")
            var float = JSONText()
            float.number(Float(value))
            #expect(float.data == (try JSONCoding.encoder.encode([Float(value)]).dropFirst().dropLast()), "\(value)")
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
        var interleaved = trace
        interleaved.recommendations = [
            .init(itemId: "place-1", score: 1, arm: .treatment, position: 1, propensity: 1),
            .init(itemId: text, score: 0.75, arm: .both, position: 2, propensity: 0.375),
        ]
        interleaved.policy = .interleaving
        interleaved.candidateCount = 12
        interleaved.exploredPosition = 2
        interleaved.interleaving = InterleavingDraft(
            firstPick: .control, controlVersion: "v0.1.0", treatmentVersion: "v\(text)")
        let encoded = try JSONCoding.encoder.encode(interleaved)
        #expect(
            interleaved.jsonLine == encoded,
            "\(String(decoding: interleaved.jsonLine, as: UTF8.self))\n\(String(decoding: encoded, as: UTF8.self))")
        let decoded = try JSONCoding.decoder.decode(PredictionTrace.self, from: interleaved.jsonLine)
        #expect(decoded.recommendations == interleaved.recommendations)
        #expect(decoded.interleaving == interleaved.interleaving)
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
        let items = [
            PredictionTrace.Item(itemId: "a\"b", score: 1.25), PredictionTrace.Item(itemId: "c", score: 0.001),
        ]
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

/// The answer with display fields from the place catalog, byte for byte what `JSONEncoder` writes.
@Suite("hand-written JSON: recommendations with place display fields")
struct PlaceAnswerJSONTests {
    struct Item: Encodable {
        var category: String?
        var distanceKm: Double?
        var itemId: String
        var lat: Double?
        var lon: Double?
        var name: String?
        var rank: Int
        var score: Float
    }
    struct Answer: Encodable {
        var requestId, userId, experimentId, variant, modelVersion: String
        var recommendations: [Item]
        var fallback: Bool
    }

    @Test(arguments: [true, false])
    func theAnswerWithPlacesIsWhatTheEncoderWrites(withPosition: Bool) throws {
        let places = PlaceCatalog(
            version: "v",
            places: [
                CatalogPlace(id: "a", name: "Café \"Central\" 🚕", lat: 38.7223, lon: -9.1393, category: "restaurant"),
                CatalogPlace(id: "b", name: "Estação", lat: -33.5, lon: 151.25),
            ])
        let position = withPosition ? GeoPosition(lat: 38.7, lon: -9.14) : nil
        let items = [
            PredictionTrace.Item(itemId: "a", score: 1.25), PredictionTrace.Item(itemId: "b", score: 0.5),
            PredictionTrace.Item(itemId: "unknown", score: 0.001),
        ]
        let answer = Recommend.answer(
            requestId: "r", userId: "u", experimentId: "e", variant: "control", modelVersion: "v0.1.0",
            recommendations: items, fallback: false, places: places, position: position)
        let expected = Answer(
            requestId: "r", userId: "u", experimentId: "e", variant: "control", modelVersion: "v0.1.0",
            recommendations: items.enumerated().map { index, item in
                let place = places[item.itemId]
                return Item(
                    category: place?.category,
                    distanceKm: place.flatMap { place in position?.distanceKm(toLat: place.lat, lon: place.lon) },
                    itemId: item.itemId, lat: place?.lat, lon: place?.lon, name: place?.name, rank: index + 1,
                    score: item.score)
            },
            fallback: false)
        #expect(answer.body == (try JSONCoding.encoder.encode(expected)))
        let text = String(decoding: answer.body, as: UTF8.self)
        #expect(text.contains(#""distanceKm""#) == withPosition)
    }
}
