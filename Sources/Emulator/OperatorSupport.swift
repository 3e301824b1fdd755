import Foundation
import Recommender
import Storage

/// What the operator commands (`train`, `simulate`, `events import`, `eval`) share: the store and progress output.
enum OperatorSupport {
    /// The object store the bundle options name, or a clear exit.
    static func store(_ bundle: BundleOptions, _ environment: [String: String]) throws -> any ObjectStore {
        do {
            return try makeObjectStore(from: bundle.storageLocation(environment), environment: environment)
        } catch {
            throw StartupError("RIDEEASE_STORAGE: \(error)").exit()
        }
    }

    /// One progress line on stderr (stdout stays clean for the command's result).
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Appends `events` to event segments and waits until they are durable.
    static func append(_ events: [RideEvent], to store: any ObjectStore) async throws {
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

    /// The pipeline's git commit: `PIPELINE_GIT_SHA`, else the checkout's HEAD, else `unknown`.
    static func gitSHA(_ environment: [String: String]) -> String {
        if let sha = environment["PIPELINE_GIT_SHA"], !sha.isEmpty { return sha }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "rev-parse", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        guard (try? git.run()) != nil else { return "unknown" }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        let sha = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return git.terminationStatus == 0 && sha.count == 40 ? sha : "unknown"
    }
}

extension RideEvent {
    /// A ride event from a generated or imported interaction, with a content-derived id.
    init(ride interaction: Interaction) {
        self = RideEvent(
            eventId: "",
            type: .ride,
            userId: interaction.userId,
            itemId: interaction.itemId,
            timestamp: interaction.timestamp,
            weight: interaction.weight == 1 ? nil : interaction.weight,
            city: interaction.city
        )
        eventId = contentHash()
    }
}
