import Foundation
import TestRequirements
import Testing

/// The one moto server most S3 tests share (started on first use; killed when the test process exits, through
/// the wrapper's stdin). Each test uses its own bucket, so tests running in parallel do not see each other.
public actor SharedMoto {
    public static let shared = SharedMoto()
    private var server: MotoServer?
    private var starting: Task<MotoServer, any Error>?

    public func get() async throws -> MotoServer {
        try ExternalRequirement.moto.check()
        if let server { return server }
        if let starting { return try await starting.value }
        let task = Task { try await MotoServer.start() }
        starting = task
        defer { starting = nil }
        let started = try await task.value
        server = started
        return started
    }
}

/// A setup problem that must fail the test with a message (never skip it).
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
