import Foundation
import Testing

@testable import Recommender

@Suite("Model artifact")
struct ArtifactTests {
    static let configurations: [ModelConfiguration] = [
        .popularity,
        .ials(ALSConfiguration(factors: 6, iterations: 3, seed: 9)),
        .ease(EASEConfiguration(regularization: 20)),
    ]

    func model(_ configuration: ModelConfiguration) throws -> TrainedModel {
        var data = Fixtures.planted(users: 30, items: 24)
        data.append(Interaction(userId: "ünïcode-rider", itemId: "place-ß", timestamp: 9, weight: 2.5))
        return try TrainedModel.fit(data, configuration: configuration)
    }

    @Test("round trip preserves the model exactly and encoding is deterministic", arguments: configurations)
    func roundTrip(configuration: ModelConfiguration) throws {
        let original = try model(configuration)
        let bytes = original.artifactData()
        let decoded = try TrainedModel(artifact: bytes)
        #expect(decoded == original)
        #expect(decoded.artifactData() == bytes)
        #expect(try model(configuration).artifactData() == bytes)
        #expect(
            decoded.recommendations(forUser: "user-1003", limit: 5)
                == original.recommendations(forUser: "user-1003", limit: 5))
        #expect(ModelArtifact.sha256Hex(bytes).count == 64)
    }

    @Test("every flipped byte is detected", arguments: configurations)
    func bitFlips(configuration: ModelConfiguration) throws {
        let bytes = try model(configuration).artifactData()
        var random = SeededGenerator(seed: 1)
        // Header bytes, the trailer, and a sample of the body.
        let positions =
            Array(0..<24) + Array((bytes.count - 34)..<bytes.count)
            + (0..<150).map { _ in random.nextInt(below: bytes.count) }
        for position in positions {
            var corrupted = bytes
            corrupted[position] ^= UInt8(1 << random.nextInt(below: 8))
            #expect(throws: ArtifactError.self) { try ModelArtifact.decode(corrupted) }
        }
    }

    @Test("every truncation is detected with a clear error")
    func truncation() throws {
        let bytes = try model(.ials(ALSConfiguration(factors: 4, iterations: 2))).artifactData()
        for length in Array(0..<64) + stride(from: 64, to: bytes.count, by: 97) + [bytes.count - 1] {
            do {
                _ = try ModelArtifact.decode(bytes.prefix(length))
                Issue.record("length \(length) decoded")
            } catch {
                if length >= 20 {
                    #expect(error == .truncated(expectedBytes: bytes.count, actualBytes: length))
                }
            }
        }
        var extended = bytes
        extended.append(0)
        #expect(throws: ArtifactError.self) { try ModelArtifact.decode(extended) }
    }

    @Test("wrong magic, unknown version and checksum mismatch have distinct errors")
    func headerErrors() throws {
        let bytes = try model(.popularity).artifactData()
        #expect(throws: ArtifactError.notAModel) { try ModelArtifact.decode(Data("{\"json\":true}".utf8)) }
        var version = bytes
        version[8] = 9
        #expect(throws: ArtifactError.unsupportedVersion(9)) { try ModelArtifact.decode(version) }
        var body = bytes
        body[40] ^= 0xFF
        do {
            _ = try ModelArtifact.decode(body)
            Issue.record("corruption not detected")
        } catch {
            guard case .checksumMismatch = error else { Issue.record("got \(error)"); return }
            #expect(error.description.contains("corrupted"))
        }
    }

    @Test("a consistent but forged body is rejected, not trusted")
    func forgedBody() throws {
        let bytes = try model(.popularity).artifactData()
        var forged = Array(bytes.dropLast(32))
        forged[20] = 7  // unknown algorithm code
        forged = ModelArtifact.sealed(forged)
        #expect(throws: ArtifactError.self) { try ModelArtifact.decode(Data(forged)) }
    }
}
