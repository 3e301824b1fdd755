import Foundation
import Recommender
import Storage

/// A real file store in a fresh temporary folder, removed when the fixture goes away.
final class StoreFixture: Sendable {
    let root: URL
    let store: FileStore

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = try FileStore(root: root)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `events` as one segment, as the ingestion path does.
    func append(_ events: [RideEvent], writerID: String = "test") async throws {
        let writer = try SegmentWriter(store: store, configuration: .init(prefix: "events"), writerID: writerID)
        for event in events { _ = try writer.append(event) }
        try await writer.close()
    }

    /// Ride events from the synthetic world (small, seeded).
    static func worldEvents(riders: Int = 120, places: Int = 60, days: Int = 20, seed: UInt64 = 3) throws -> [RideEvent]
    {
        var configuration = RideWorldConfiguration()
        configuration.riders = riders
        configuration.places = places
        configuration.days = days
        configuration.seed = seed
        return try RideWorld(configuration: configuration).rides().map { ride in
            var event = RideEvent(
                eventId: "", type: .ride, userId: ride.userId, itemId: ride.itemId, timestamp: ride.timestamp,
                city: ride.city)
            event.eventId = event.contentHash()
            return event
        }
    }
}
