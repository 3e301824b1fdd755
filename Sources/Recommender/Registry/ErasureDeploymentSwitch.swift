import Foundation
import Storage

/// Moves every deployment off versions an erasure retires, onto their patches, through the deployments' normal
/// compare-and-swap and audit trail.
///
/// The rollback target (`previous`) is mapped the same way and otherwise kept: the switch is not a decision anyone
/// would want to roll back, and rolling back onto a deleted artifact could not serve.
struct ErasureDeploymentSwitch: Sendable {
    let deployments: DeploymentStore
    let store: any ObjectStore
    let erasureId: String

    /// Attempts per deployment before a stream of concurrent changes is reported as an error.
    static let attempts = 20

    var actor: String { "rider-erasure \(erasureId)" }

    func switchAll(_ patches: [ModelPatch], now: Date) async throws {
        let replacement = Dictionary(patches.map { ($0.retired, $0.replacement) }) { first, _ in first }
        for experimentId in try await experimentIds() {
            try await switchOne(experimentId, replacement: replacement, now: now)
        }
    }

    private func switchOne(
        _ experimentId: String, replacement: [ModelVersion: ModelVersion], now: Date
    ) async throws {
        for _ in 0..<Self.attempts {
            guard let (deployment, etag) = try await deployments.current(experimentId) else { return }
            let versions = deployment.versions.mapValues { replacement[$0] ?? $0 }
            let previous = deployment.previous?.mapValues { replacement[$0] ?? $0 }
            guard versions != deployment.versions || previous != deployment.previous else {
                try await restoreAudit(deployment, replacement: replacement)
                return
            }
            let next = Deployment(
                experimentId: experimentId, generation: deployment.generation + 1, versions: versions,
                previous: previous, updatedAt: now, updatedBy: actor)
            let audit = DeploymentAudit(
                action: "erasure", actor: actor, at: now, generation: next.generation, from: deployment.versions,
                to: versions, requestId: nil)
            do {
                try await deployments.swap(next, expecting: etag, audit: audit)
                return
            } catch StorageError.preconditionFailed {
                continue  // Changed meanwhile (an admin switch, another instance): read again and redo.
            }
        }
        throw StorageError.preconditionFailed(key: Deployment.key(for: experimentId))
    }

    /// The audit record is written after the swap: a run stopped in between left a deployment switched by this
    /// erasure without its record, which is rebuilt here (the versions before are the patches' parents).
    private func restoreAudit(_ deployment: Deployment, replacement: [ModelVersion: ModelVersion]) async throws {
        guard deployment.updatedBy == actor else { return }
        let key = DeploymentStore.auditKey(for: deployment)
        guard try await store.head(key) == nil else { return }
        let parent = Dictionary(replacement.map { ($1, $0) }) { first, _ in first }
        let audit = DeploymentAudit(
            action: "erasure", actor: actor, at: deployment.updatedAt, generation: deployment.generation,
            from: deployment.versions.mapValues { parent[$0] ?? $0 }, to: deployment.versions, requestId: nil)
        do {
            try await store.put(key, data: try ModelRegistry.encoder.encode(audit), precondition: .ifNoneMatch)
        } catch StorageError.preconditionFailed {
            // Written meanwhile: the first record stands.
        }
    }

    private func experimentIds() async throws -> [String] {
        var ids: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "deployments/", continuationToken: token, maxKeys: 1000)
            for object in page.objects where object.key.hasSuffix(".json") {
                let name = object.key.dropFirst("deployments/".count).dropLast(".json".count)
                if !name.isEmpty, !name.contains("/") { ids.append(String(name)) }
            }
            token = page.continuationToken
        } while token != nil
        return ids
    }
}
