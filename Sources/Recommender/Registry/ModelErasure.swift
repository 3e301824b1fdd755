import Foundation
import Storage

/// A published version that held an erased rider, and the patched version that replaced it.
public struct ModelPatch: Codable, Sendable, Hashable {
    /// The version whose artifact was deleted.
    public var retired: ModelVersion
    /// The same model without the rider, registered as the next free patch version.
    public var replacement: ModelVersion

    /// Creates a patch record.
    public init(retired: ModelVersion, replacement: ModelVersion) {
        self.retired = retired
        self.replacement = replacement
    }
}

/// Removes one rider from every published model: patch, switch, retire.
///
/// For each published version whose artifact knows the rider: (1) register the model without them
/// (``TrainedModel/removingUser(_:)``) under the next free patch version, its lineage naming the parent and the
/// erasure; (2) switch every deployment serving the parent to the patch, by the deployments' compare-and-swap with
/// its audit record; (3) retire the parent: `retired.json`, then the artifact deleted.
///
/// Idempotent and safe to stop at any point (`kill -9`): a rerun finds the patch it registered by its lineage
/// (never registers a second), publishes an artifact it wrote but had not published yet, and finishes the switches
/// and retirements. Versions already retired are skipped unless this erasure retired them (then its switches and
/// deletion are checked again). Callers run it holding the maintenance lease, so two erasures never interleave.
public struct ModelErasure: Sendable {
    let store: any ObjectStore
    let registry: ModelRegistry
    let deployments: DeploymentStore

    /// Creates a model erasure over `store`.
    public init(store: any ObjectStore) {
        self.store = store
        registry = ModelRegistry(store: store)
        deployments = DeploymentStore(store: store)
    }

    /// Patches, switches and retires every published version that knows `userId`; `erasureId` (a keyed hash of the
    /// rider) goes in the lineage and retirement records. Returns every patch of this erasure, including those of an
    /// earlier interrupted run.
    public func eraseRider(_ userId: String, erasureId: String, now: Date) async throws -> [ModelPatch] {
        let published = try await registry.list().sorted { $0.version < $1.version }
        let retirements = try await registry.retirements()
        var patches: [ModelPatch] = []
        for metadata in published {
            if let retirement = retirements[metadata.version] {
                if retirement.erasure == erasureId {
                    patches.append(ModelPatch(retired: metadata.version, replacement: retirement.supersededBy))
                }
                continue
            }
            let earlier = published.first {
                $0.lineage.erasure?.parent == metadata.version && $0.lineage.erasure?.erasure == erasureId
            }
            if let earlier {
                patches.append(ModelPatch(retired: metadata.version, replacement: earlier.version))
            } else if let replacement = try await patch(metadata, removing: userId, erasureId: erasureId, now: now) {
                patches.append(ModelPatch(retired: metadata.version, replacement: replacement))
            }
        }
        guard !patches.isEmpty else { return [] }
        let switcher = ErasureDeploymentSwitch(deployments: deployments, store: store, erasureId: erasureId)
        try await switcher.switchAll(patches, now: now)
        for patch in patches {
            let record = ModelRetirement(
                supersededBy: patch.replacement, reason: ModelRetirement.riderErasure, erasure: erasureId,
                retiredAt: now)
            try await registry.retire(patch.retired, record: record)
        }
        // A switch to an old version that raced with the first pass (it loaded before the retirement) is undone.
        try await switcher.switchAll(patches, now: now)
        return patches
    }

    /// Registers `metadata`'s model without `userId` under the next free patch version; `nil` when the model never
    /// saw the rider.
    private func patch(
        _ metadata: ModelMetadata, removing userId: String, erasureId: String, now: Date
    ) async throws -> ModelVersion? {
        let model: TrainedModel
        do {
            model = try await registry.loadArtifact(of: metadata)
        } catch RegistryError.missingArtifact {
            return nil  // Nothing left to hold the rider. A corrupt artifact, which may, is an error to fix by hand.
        }
        guard let patched = model.removingUser(userId) else { return nil }
        var version = metadata.version
        for _ in 0..<64 {
            version.patch += 1
            let candidate = version
            let registered = try await registry.register(patched, exactly: candidate) { uri, sha256, bytes in
                var next = metadata
                next.version = candidate
                next.createdAt = now
                next.userCount = max(0, metadata.userCount - 1)
                next.lineage.artifactUri = uri
                next.lineage.artifactSha256 = sha256
                next.lineage.artifactBytes = bytes
                next.lineage.erasure = ErasureLineage(
                    parent: metadata.version, erasure: erasureId, reason: ModelRetirement.riderErasure)
                return next
            }
            if registered != nil { return candidate }
        }
        throw RegistryError.noFreeVersion
    }
}
