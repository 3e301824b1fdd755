import Foundation
import Testing

@testable import Recommender

/// The fast encoder writes exactly the bytes of format version 1 as the first, value-by-value encoder wrote them,
/// and decoding gives back the same model, at every size from no riders to many.
@Suite("Model artifact format")
struct ArtifactFormatTests {
    static let sizes: [(users: Int, items: Int, factors: Int)] = [
        (0, 1, 4), (1, 1, 1), (1, 3, 8), (17, 9, 5), (2_000, 300, 64), (20_000, 500, 13),
    ]

    @Test("bulk encoding is byte-identical to the value-by-value encoding of format 1", arguments: 0..<sizes.count)
    func byteIdentical(index: Int) throws {
        let size = Self.sizes[index]
        let model = TrainedModel.synthetic(users: size.users, items: size.items, factors: size.factors, seed: 7)
        let bytes = ModelArtifact.encode(model)
        #expect(bytes == LegacyEncoder.encode(model))
        #expect(bytes.count == ModelArtifact.estimatedSize(model))
        let decoded = try ModelArtifact.decode(bytes)
        #expect(decoded == model)
        #expect(decoded.users.count == size.users)
    }

    @Test("popularity and EASE models are byte-identical too", arguments: ArtifactTests.configurations)
    func otherAlgorithms(configuration: ModelConfiguration) throws {
        let model = try ArtifactTests().model(configuration)
        #expect(ModelArtifact.encode(model) == LegacyEncoder.encode(model))
    }

    @Test("a model without riders round-trips for every algorithm")
    func noRiders() throws {
        let history = InteractionMatrix(
            users: IdIndex([String]()), items: IdIndex(["place-a", "place-b"]), entries: [])
        let model = TrainedModel(
            configuration: .popularity, fitted: .popularity, popularity: PopularityModel(history: history))
        let bytes = model.artifactData()
        #expect(bytes == LegacyEncoder.encode(model))
        #expect(try TrainedModel(artifact: bytes) == model)
    }

    @Test("the whole-file SHA-256 is checked in the same pass, before decoding")
    func fileDigest() throws {
        let model = TrainedModel.synthetic(users: 50, items: 20, factors: 8)
        let bytes = model.artifactData()
        let digest = ModelArtifact.sha256Hex(bytes)
        #expect(try ModelArtifact.decode(bytes, fileSHA256: digest) == model)
        #expect(try ModelArtifact.decode(bytes, fileSHA256: digest.uppercased()) == model)
        let other = String(repeating: "0", count: 64)
        #expect(throws: ArtifactError.checksumMismatch(expected: other, actual: digest)) {
            try ModelArtifact.decode(bytes, fileSHA256: other)
        }
    }

    @Test("a decoded model finds every id (sorted-table lookups) and no other")
    func decodedLookups() throws {
        let model = TrainedModel.synthetic(users: 1_000, items: 37, factors: 2)
        let decoded = try TrainedModel(artifact: model.artifactData())
        for (position, id) in model.users.ids.enumerated() { #expect(decoded.users.index(of: id) == position) }
        for (position, id) in model.items.ids.enumerated() { #expect(decoded.items.index(of: id) == position) }
        for unknown in ["", "rider-", "rider-0000999x", "rider-1000000", "zzz", "place-00037", "a"] {
            #expect(decoded.users.index(of: unknown) == nil)
            #expect(decoded.items.index(of: unknown) == nil)
        }
        #expect(
            decoded.recommendations(forUser: "rider-0000500", limit: 5)
                == model.recommendations(forUser: "rider-0000500", limit: 5))
    }

    @Test("a slice of a larger buffer decodes (the artifact need not start at index 0)")
    func sliceDecodes() throws {
        let model = TrainedModel.synthetic(users: 10, items: 5, factors: 3)
        let padded = Data([1, 2, 3]) + model.artifactData() + Data([4])
        let slice = padded[3..<(padded.count - 1)]
        #expect(try ModelArtifact.decode(slice) == model)
    }
}

/// The encoder as format version 1 was first written: one value at a time, kept here as the format's reference.
private enum LegacyEncoder {
    struct Writer {
        var bytes: [UInt8] = []
        mutating func write<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        mutating func write(_ value: Double) { write(value.bitPattern) }
        mutating func write(_ string: String) {
            write(UInt32(string.utf8.count))
            bytes.append(contentsOf: Array(string.utf8))
        }
        mutating func write(floats: some Collection<Float>) {
            for value in floats { write(value.bitPattern) }
        }
    }

    static func encode(_ model: TrainedModel) -> Data {
        var body = Writer()
        body.write(ModelArtifact.algorithmCode(model.configuration.algorithm))
        let hyperparameters = model.configuration.hyperparameters.sorted { $0.key < $1.key }
        body.write(UInt32(hyperparameters.count))
        for (name, value) in hyperparameters {
            body.write(name)
            body.write(value)
        }
        for table in [model.users, model.items] {
            body.write(UInt32(table.count))
            for id in table.ids { body.write(id) }
        }
        let history = model.history
        body.write(UInt32(history.nonZeroCount))
        for user in 0..<history.users.count { body.write(UInt32(history.rowCount(user))) }
        for item in history.userItems { body.write(UInt32(item)) }
        body.write(floats: history.userWeights)
        body.write(floats: model.popularity.counts)
        switch model.fitted {
        case .popularity:
            break
        case .ials(let als):
            let factors = als.configuration.factors
            body.write(UInt32(factors))
            for rows in [als.userFactors, als.itemFactors] {
                for start in stride(from: 0, to: rows.count, by: als.stride) {
                    body.write(floats: rows[start..<(start + factors)])
                }
            }
        case .ease(let ease):
            let n = ease.items.count
            for row in 0..<n { body.write(floats: ease.weights[(row * ease.stride)..<(row * ease.stride + n)]) }
        }
        var file = Writer()
        file.bytes = ModelArtifact.magic
        file.write(ModelArtifact.formatVersion)
        file.write(UInt16(0))
        file.write(UInt64(body.bytes.count))
        file.bytes += body.bytes
        return Data(ModelArtifact.sealed(file.bytes))
    }
}
