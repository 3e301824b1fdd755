import Foundation
import Logging
import Recommender
import Storage
import Synchronization

/// The place catalog this instance decorates recommendations with (name, coordinates, category).
///
/// Loaded when the instance starts and re-checked with the deployment (``DeploymentWatcher``): one small read
/// of `places/current.json` per poll, the catalog itself only when the pointer changed. Requests read the held
/// value and never touch the store. A catalog that fails to load leaves the previous one in place.
final class PlaceDirectory: Sendable {
    private struct State {
        var etag: String?
        var catalog: PlaceCatalog?
    }

    private let catalogs: PlaceCatalogStore
    private let metrics: ServingMetrics
    private let logger: Logger
    private let state = Mutex(State())

    init(store: any ObjectStore, metrics: ServingMetrics, logger: Logger) {
        self.catalogs = PlaceCatalogStore(store: store)
        self.metrics = metrics
        self.logger = logger
    }

    /// The catalog in use, or `nil` before one was imported.
    var current: PlaceCatalog? { state.withLock { $0.catalog } }

    /// Brings the held catalog up to date with `places/current.json`.
    func refresh() async {
        do {
            guard let (pointer, etag) = try await catalogs.pointer() else { return }
            guard etag != state.withLock({ $0.etag }) else { return }
            let catalog = try await catalogs.load(pointer)
            state.withLock { $0 = State(etag: etag, catalog: catalog) }
            logger.info(
                "place catalog loaded", metadata: ["version": "\(pointer.version)", "places": "\(catalog.count)"])
        } catch {
            metrics.storageError(operation: "refresh")
            logger.warning("place catalog refresh failed; keeping the previous one", metadata: ["error": "\(error)"])
        }
    }
}
