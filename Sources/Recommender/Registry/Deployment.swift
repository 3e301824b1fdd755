import Foundation
import Storage

/// Which model version serves each variant of an experiment: `deployments/<experimentId>.json`.
///
/// Mutable, so it is only ever written with compare-and-swap on its ETag: two concurrent switches cannot both
/// win, and every instance converges on the same generation.
public struct Deployment: Codable, Sendable, Equatable {
    /// The experiment whose variants this deploys.
    public var experimentId: String
    /// Incremented by every change; instances report the generation they serve.
    public var generation: Int
    /// The version per variant (`control`, `treatment`, …).
    public var versions: [String: ModelVersion]
    /// The assignment before the last change, for rollback.
    public var previous: [String: ModelVersion]?
    /// When it last changed.
    public var updatedAt: Date
    /// Who changed it (`admin-api`, `bootstrap`, `rollback`, `rider-erasure <erasure>` for a switch to a patch).
    public var updatedBy: String

    /// Creates a deployment value.
    public init(
        experimentId: String,
        generation: Int,
        versions: [String: ModelVersion],
        previous: [String: ModelVersion]?,
        updatedAt: Date,
        updatedBy: String
    ) {
        self.experimentId = experimentId
        self.generation = generation
        self.versions = versions
        self.previous = previous
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// The key of an experiment's deployment.
    public static func key(for experimentId: String) -> String { "deployments/\(experimentId).json" }
}

/// Reads and compare-and-swaps deployments, and appends every change to the audit trail.
public struct DeploymentStore: Sendable {
    let store: any ObjectStore

    /// Creates a deployment store over `store`.
    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The current deployment and its ETag, or `nil` when the experiment has none yet.
    public func current(_ experimentId: String) async throws -> (Deployment, etag: String)? {
        guard let object = try await store.get(Deployment.key(for: experimentId)) else { return nil }
        return (try ModelRegistry.decoder.decode(Deployment.self, from: object.data), object.etag)
    }

    /// Writes `next` only if the stored deployment still has `etag` (`nil`: only if there is none).
    ///
    /// Throws `StorageError.preconditionFailed` when another writer got there first; the audit record is written
    /// after the swap succeeds, so the trail lists exactly the changes that took effect.
    @discardableResult
    public func swap(_ next: Deployment, expecting etag: String?, audit: DeploymentAudit) async throws -> String {
        let newTag = try await store.put(
            Deployment.key(for: next.experimentId),
            data: try ModelRegistry.encoder.encode(next),
            precondition: etag.map { .ifMatch($0) } ?? .ifNoneMatch
        )
        try await store.put(
            Self.auditKey(for: next), data: try ModelRegistry.encoder.encode(audit), precondition: .ifNoneMatch)
        return newTag
    }

    /// Where the audit record of the change that wrote `deployment` goes.
    static func auditKey(for deployment: Deployment) -> String {
        let stamp = ISO8601DateFormatter().string(from: deployment.updatedAt).filter(\.isNumber)
        return "audit/deployments/\(deployment.experimentId)/\(stamp)-g\(deployment.generation).json"
    }
}

/// One audited deployment change: who, when, from what, to what.
public struct DeploymentAudit: Codable, Sendable, Equatable {
    /// `switch`, `rollback`, `bootstrap` or `erasure` (moved off versions a rider erasure retired).
    public var action: String
    /// The caller (`admin-api` with a key fingerprint, never the key itself).
    public var actor: String
    /// When.
    public var at: Date
    /// The generation written.
    public var generation: Int
    /// Versions before.
    public var from: [String: ModelVersion]
    /// Versions after.
    public var to: [String: ModelVersion]
    /// The request that caused it.
    public var requestId: String?

    /// Creates an audit record.
    public init(
        action: String,
        actor: String,
        at: Date,
        generation: Int,
        from: [String: ModelVersion],
        to: [String: ModelVersion],
        requestId: String?
    ) {
        self.action = action
        self.actor = actor
        self.at = at
        self.generation = generation
        self.from = from
        self.to = to
        self.requestId = requestId
    }
}
