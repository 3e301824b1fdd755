import Foundation
import Recommender
import Storage

/// Removes the places a rider owns from the place catalog.
///
/// Places belong to no one in RideEase's schema; an imported catalog may still carry an owner column (a rider's
/// saved "home"), kept as an attribute. A place whose `owner`, `ownerId`, `userId` or `riderId` attribute is the
/// rider's id is removed: the current catalog is republished without it (a new version, swapped in by
/// compare-and-swap against the pointer it was derived from), and every stored version holding such a place is
/// deleted — versions are immutable, so the price is that those versions can no longer be rolled back to.
struct PlaceErasure: Sendable {
    static let ownerAttributes: Set<String> = ["owner", "ownerid", "userid", "riderid"]

    let store: any ObjectStore

    /// Returns how many distinct places the rider owned across all versions.
    func erase(_ userId: String, now: Date) async throws -> Int {
        let catalogs = PlaceCatalogStore(store: store)
        var removed: Set<String> = []
        for _ in 0..<5 {
            guard let (pointer, etag) = try await catalogs.pointer() else { break }
            let current = try await catalogs.load(pointer)
            let owned = current.places.values.filter { Self.isOwned($0, by: userId) }.map(\.id)
            if owned.isEmpty { break }
            let kept = current.places.values.filter { !Self.isOwned($0, by: userId) }
            do {
                try await catalogs.publish(Array(kept), now: now, replacing: etag)
                removed.formUnion(owned)
                break
            } catch StorageError.preconditionFailed {
                continue  // An import landed meanwhile: derive from it instead.
            }
        }
        let currentKey = try await catalogs.pointer()?.0.key
        for key in try await versionKeys() where key != currentKey {
            guard let object = try await store.get(key),
                let catalog = try? PlaceCatalog.decode(version: "", jsonLines: object.data)
            else { continue }
            let owned = catalog.places.values.filter { Self.isOwned($0, by: userId) }.map(\.id)
            if owned.isEmpty { continue }
            try await store.delete(key)
            removed.formUnion(owned)
        }
        return removed.count
    }

    static func isOwned(_ place: CatalogPlace, by userId: String) -> Bool {
        place.attributes?.contains { ownerAttributes.contains($0.key.lowercased()) && $0.value == userId } ?? false
    }

    private func versionKeys() async throws -> [String] {
        var keys: [String] = []
        var token: String?
        repeat {
            let page = try await store.list(prefix: "places/", continuationToken: token, maxKeys: 1000)
            keys += page.objects.map(\.key).filter { $0.hasSuffix(".jsonl") }
            token = page.continuationToken
        } while token != nil
        return keys
    }
}
