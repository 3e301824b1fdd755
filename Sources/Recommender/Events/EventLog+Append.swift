import Foundation
import Storage

extension EventLog {
    /// Appends `events` as new event segments and returns once they are durable (operator commands and demo data;
    /// serving appends through its own buffered writer task).
    public func append(_ events: [RideEvent]) async throws {
        let writer = try SegmentWriter(store: store, configuration: .init(prefix: "events", maxRecords: 50_000))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for event in events {
            // A full buffer refuses the event: flush, then append it again (dropping it lost one ride per 100k).
            if !(try writer.append(event, encoder: encoder)) {
                try await writer.flush()
                try writer.append(event, encoder: encoder)
            }
        }
        try await writer.close()
    }
}
