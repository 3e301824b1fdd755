import Foundation
import Storage

extension ModelRegistry {
    /// The retirement record of `version`, or `nil` when it was never retired.
    public func retirement(of version: ModelVersion) async throws -> ModelRetirement? {
        guard let object = try await store.get(ModelRetirement.key(for: version)) else { return nil }
        return try Self.decoder.decode(ModelRetirement.self, from: object.data)
    }

    /// Every retired version's record: one listing of `models/`, then one read per retired version.
    public func retirements() async throws -> [ModelVersion: ModelRetirement] {
        var versions: [ModelVersion] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "models/", continuationToken: token, maxKeys: 1000)
            for object in page.objects where object.key.hasSuffix("/retired.json") {
                let parts = object.key.split(separator: "/")
                if parts.count == 3, let version = ModelVersion(String(parts[1])) { versions.append(version) }
            }
            token = page.continuationToken
        } while token != nil
        var result: [ModelVersion: ModelRetirement] = [:]
        for version in versions { result[version] = try await retirement(of: version) }
        return result
    }

    /// Records that `version` is retired, then deletes its artifact; both steps are idempotent, so a run that
    /// stopped between them is finished by running it again (and a finished one writes nothing). An existing record
    /// is left as it is.
    public func retire(_ version: ModelVersion, record: ModelRetirement) async throws {
        let recordKey = ModelRetirement.key(for: version)
        if try await store.head(recordKey) == nil {
            do {
                try await store.put(recordKey, data: try Self.encoder.encode(record), precondition: .ifNoneMatch)
            } catch StorageError.preconditionFailed {
                // Written meanwhile: the first record stands.
            }
        }
        let artifactKey = ModelMetadata.artifactKey(for: version)
        if try await store.head(artifactKey) != nil { try await store.delete(artifactKey) }
    }

    /// Publishes `model` as exactly `version`, create-only, or returns `nil` when that version is taken.
    ///
    /// Unlike ``register(_:describe:)`` it never moves on to another version: the caller chooses (a patch version
    /// next to its parent). An unpublished artifact already under `version` with the same bytes — this very
    /// registration, interrupted between artifact and metadata — is published rather than counted as taken, as
    /// the encoding is deterministic.
    public func register(
        _ model: TrainedModel,
        exactly version: ModelVersion,
        describe: (_ artifactUri: String, _ sha256: String, _ bytes: Int) -> ModelMetadata
    ) async throws -> ModelMetadata? {
        let artifact = model.artifactData()
        let checksum = ModelArtifact.sha256Hex(artifact)
        let artifactKey = ModelMetadata.artifactKey(for: version)
        if try await metadata(for: version) != nil { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rideease-model-\(UUID().uuidString).bin")
        try artifact.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try await store.putFile(artifactKey, from: file, precondition: .ifNoneMatch)
        } catch StorageError.preconditionFailed {
            guard let existing = try await store.getLarge(artifactKey), ModelArtifact.sha256Hex(existing) == checksum
            else { return nil }
        }
        let metadata = describe(store.uri(for: artifactKey), checksum, artifact.count)
        do {
            try await store.put(
                ModelMetadata.key(for: version), data: try Self.encoder.encode(metadata), precondition: .ifNoneMatch)
        } catch StorageError.preconditionFailed {
            return nil
        }
        return metadata
    }
}
