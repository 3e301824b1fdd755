import Foundation
import Offload
import Storage

/// The versioned model store: `models/<version>/model.bin` and `models/<version>/metadata.json`.
///
/// Registration writes the artifact first and the metadata last, each create-only: a version exists for readers
/// only once its metadata does, so a run that crashes in between leaves an unpublished artifact that nothing lists
/// or serves. Its version number is then skipped (versions are unique, not necessarily contiguous).
public struct ModelRegistry: Sendable {
    let store: any ObjectStore

    /// Creates a registry over `store`.
    public init(store: any ObjectStore) {
        self.store = store
    }

    /// Every published version's metadata, newest first.
    public func list() async throws -> [ModelMetadata] {
        var versions: [ModelVersion] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "models/", continuationToken: token, maxKeys: 1000)
            for object in page.objects where object.key.hasSuffix("/metadata.json") {
                let parts = object.key.split(separator: "/")
                if parts.count == 3, let version = ModelVersion(String(parts[1])) { versions.append(version) }
            }
            token = page.continuationToken
        } while token != nil
        var result: [ModelMetadata] = []
        for version in versions.sorted(by: >) {
            if let metadata = try await metadata(for: version) { result.append(metadata) }
        }
        return result
    }

    /// The metadata of `version`, or `nil` when it is not published.
    public func metadata(for version: ModelVersion) async throws -> ModelMetadata? {
        guard let object = try await store.get(ModelMetadata.key(for: version)) else { return nil }
        return try Self.decoder.decode(ModelMetadata.self, from: object.data)
    }

    /// Loads and verifies the artifact of `version`: checksum against the metadata, then the format's own checks.
    ///
    /// The artifact is read with ``ObjectStore/getLarge(_:)`` (memory-mapped, never copied whole) and one SHA-256
    /// pass checks both the metadata's digest and the format's trailer before anything is decoded.
    /// A retired version (see ``ModelRetirement``) throws ``RegistryError/retired(_:supersededBy:reason:)``.
    public func loadModel(_ version: ModelVersion) async throws -> (ModelMetadata, TrainedModel) {
        guard let metadata = try await metadata(for: version) else { throw RegistryError.unknownVersion(version) }
        return (metadata, try await loadArtifact(of: metadata))
    }

    /// Loads and verifies the artifact `metadata` describes (the caller already holds the metadata).
    ///
    /// The retirement record is checked first: it is written before the artifact is deleted, so a retired version
    /// is refused with the same clear error during the moment both exist.
    public func loadArtifact(of metadata: ModelMetadata) async throws -> TrainedModel {
        let version = metadata.version
        if let retirement = try await retirement(of: version) {
            throw RegistryError.retired(version, supersededBy: retirement.supersededBy, reason: retirement.reason)
        }
        guard let data = try await store.getLarge(ModelMetadata.artifactKey(for: version)) else {
            throw RegistryError.missingArtifact(version)
        }
        // Hashing and decoding a large artifact is CPU work of tens of milliseconds: done on the CPU pool, it never
        // holds up the threads that answer requests while a server loads a new version.
        return try await Offload.cpu.run { () throws(RegistryError) -> TrainedModel in
            do throws(ArtifactError) {
                return try ModelArtifact.decode(data, fileSHA256: metadata.lineage.artifactSha256)
            } catch {
                throw .corruptArtifact(version, reason: error.description)
            }
        }
    }

    /// Publishes `model` under the next free version; `describe` fills the metadata for the chosen version.
    public func register(
        _ model: TrainedModel,
        describe: (ModelVersion, _ artifactUri: String, _ sha256: String, _ bytes: Int) -> ModelMetadata
    ) async throws -> ModelMetadata {
        let artifact = model.artifactData()
        let checksum = ModelArtifact.sha256Hex(artifact)
        // Streamed to the store from a local file: multipart on S3 above the part size, whatever the model's size.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rideease-model-\(UUID().uuidString).bin")
        try artifact.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var version = try await latestVersionInUse().map(\.nextMinor) ?? .first
        // Another registrar (or a crashed run's leftover artifact) may hold the version: take the next one.
        for _ in 0..<64 {
            let artifactKey = ModelMetadata.artifactKey(for: version)
            do {
                try await store.putFile(artifactKey, from: file, precondition: .ifNoneMatch)
            } catch StorageError.preconditionFailed {
                version = version.nextMinor
                continue
            }
            let metadata = describe(version, store.uri(for: artifactKey), checksum, artifact.count)
            try await store.put(
                ModelMetadata.key(for: version),
                data: try Self.encoder.encode(metadata),
                precondition: .ifNoneMatch
            )
            return metadata
        }
        throw RegistryError.noFreeVersion
    }

    /// The highest version with any object under it, published or not.
    private func latestVersionInUse() async throws -> ModelVersion? {
        var latest: ModelVersion?
        var token: String?
        repeat {
            let page = try await store.list(prefix: "models/", continuationToken: token, maxKeys: 1000)
            for object in page.objects {
                let parts = object.key.split(separator: "/")
                if parts.count == 3, let version = ModelVersion(String(parts[1])) {
                    latest = max(latest ?? version, version)
                }
            }
            token = page.continuationToken
        } while token != nil
        return latest
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// A registry operation that cannot complete.
public enum RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No published version by that name.
    case unknownVersion(ModelVersion)
    /// The metadata exists but the artifact does not.
    case missingArtifact(ModelVersion)
    /// The artifact fails its checksum or format checks.
    case corruptArtifact(ModelVersion, reason: String)
    /// Every candidate version was taken.
    case noFreeVersion
    /// The version's artifact was deleted (a rider erasure); `supersededBy` serves in its place.
    case retired(ModelVersion, supersededBy: ModelVersion, reason: String)

    public var description: String {
        switch self {
        case .unknownVersion(let version): "model version \(version) does not exist"
        case .missingArtifact(let version): "model version \(version) has no artifact"
        case .corruptArtifact(let version, let reason): "model version \(version) is corrupt: \(reason)"
        case .noFreeVersion: "no free model version could be claimed"
        case .retired(let version, let replacement, let reason):
            "model version \(version) was retired by a \(reason); use \(replacement)"
        }
    }
}
