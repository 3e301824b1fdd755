import Foundation
import Recommender
import Storage

/// Moves every running shadow off a model version an erasure retired, onto the version that replaced it.
///
/// The shadow scores requests with its version's artifact, and a retired version has none: left alone it would only
/// count errors. Following ``ModelRetirement/supersededBy`` (through chains: a replacement may itself have been
/// retired by a later erasure) keeps it comparing the same model, minus the erased riders. Each move is a
/// compare-and-swap audited as `erasure`; a rerun finds nothing to move.
struct ShadowErasure: Sendable {
    let store: any ObjectStore

    /// Shadows moved.
    func followRetirements(erasureId: String, now: Date) async throws -> Int {
        let retirements = try await ModelRegistry(store: store).retirements()
        guard !retirements.isEmpty else { return 0 }
        let shadows = ShadowStore(store: store)
        var moved = 0
        for experimentId in try await experimentsWithShadows() {
            for _ in 0..<5 {
                guard let (shadow, etag) = try await shadows.current(experimentId), shadow.isActive,
                    let replacement = Self.current(shadow.version, retirements)
                else { break }
                var next = shadow
                next.generation += 1
                next.version = replacement
                let audit = ShadowAudit(
                    action: "erasure", actor: "rider-erasure \(erasureId)", at: now, shadow: next, requestId: nil)
                do {
                    try await shadows.swap(next, expecting: etag, audit: audit)
                    moved += 1
                    break
                } catch StorageError.preconditionFailed {
                    continue  // Changed meanwhile: read it again.
                }
            }
        }
        return moved
    }

    /// The version that now stands for `version`, or `nil` when it was never retired.
    static func current(_ version: ModelVersion, _ retirements: [ModelVersion: ModelRetirement]) -> ModelVersion? {
        var version = version
        var followed = 0
        while let next = retirements[version]?.supersededBy, followed < 64 {
            version = next
            followed += 1
        }
        return followed == 0 ? nil : version
    }

    private func experimentsWithShadows() async throws -> [String] {
        var ids: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "shadow/", continuationToken: token, maxKeys: 1000)
            ids += page.objects.map(\.key).filter { $0.hasSuffix(".json") }
                .map { String($0.dropFirst("shadow/".count).dropLast(".json".count)) }
            token = page.continuationToken
        } while token != nil
        return ids
    }
}
