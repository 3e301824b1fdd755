import Foundation
import FunctionRuntime
import Recommender
import Storage

/// Reads and compare-and-swaps an experiment's shadow deployment, and appends every change to
/// `audit/shadow/<experimentId>/<time>-g<generation>-<action>.json`.
struct ShadowStore: Sendable {
    let store: any ObjectStore

    /// The experiment's shadow (running or ended) and its ETag, or `nil` when it never had one.
    func current(_ experimentId: String) async throws -> (ShadowDeployment, etag: String)? {
        guard let object = try await store.get(ShadowDeployment.key(for: experimentId)) else { return nil }
        return (try JSONCoding.decoder.decode(ShadowDeployment.self, from: object.data), object.etag)
    }

    /// Writes `next` only if the stored shadow still has `etag` (`nil`: only if there is none), then its audit
    /// record; throws `StorageError.preconditionFailed` when another writer got there first.
    @discardableResult
    func swap(_ next: ShadowDeployment, expecting etag: String?, audit: ShadowAudit) async throws -> String {
        let tag = try await store.put(
            ShadowDeployment.key(for: next.experimentId), data: try JSONCoding.encoder.encode(next),
            precondition: etag.map { .ifMatch($0) } ?? .ifNoneMatch)
        let stamp = ISO8601DateFormatter().string(from: audit.at).filter(\.isNumber)
        let key = "audit/shadow/\(next.experimentId)/\(stamp)-g\(next.generation)-\(audit.action).json"
        try await store.put(key, data: try JSONCoding.encoder.encode(audit), precondition: .ifNoneMatch)
        return tag
    }

    /// The audit trail of an experiment's shadows, oldest first.
    func audit(_ experimentId: String) async throws -> [ShadowAudit] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(
                prefix: "audit/shadow/\(experimentId)/", continuationToken: token, maxKeys: 1000)
            keys += page.objects.map(\.key)
            token = page.continuationToken
        } while token != nil
        var entries: [ShadowAudit] = []
        for key in keys.sorted() {
            guard let object = try await store.get(key) else { continue }
            entries.append(try JSONCoding.decoder.decode(ShadowAudit.self, from: object.data))
        }
        return entries
    }
}
