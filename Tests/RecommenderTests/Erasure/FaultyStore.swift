import Foundation
import Storage
import Synchronization

/// A store that stops working at its Nth write, as a process killed there would: the write fails (`before`) or
/// takes effect but its answer is lost (`after`), and every later call fails too.
final class FaultyStore: ObjectStore {
    enum Mode: Sendable, CaseIterable { case before, after }

    struct Crash: Error {}

    let base: any ObjectStore
    let failAt: Int?
    let mode: Mode
    private let state = Mutex((writes: 0, crashed: false))

    /// `failAt: nil` never fails and only counts writes.
    init(_ base: any ObjectStore, failAt: Int?, mode: Mode = .before) {
        self.base = base
        self.failAt = failAt
        self.mode = mode
    }

    var writes: Int { state.withLock { $0.writes } }

    private func alive() throws {
        if state.withLock({ $0.crashed }) { throw Crash() }
    }

    /// Runs one write, failing it (or its answer) when it is the chosen one.
    private func write<T>(_ body: () async throws -> T) async throws -> T {
        try alive()
        let isFatal = state.withLock { state in
            defer { state.writes += 1 }
            if state.writes == failAt { state.crashed = true }
            return state.crashed
        }
        guard isFatal else { return try await body() }
        if mode == .after { _ = try await body() }
        throw Crash()
    }

    func get(_ key: String) async throws -> StoredObject? {
        try alive()
        return try await base.get(key)
    }

    func head(_ key: String) async throws -> ObjectInfo? {
        try alive()
        return try await base.head(key)
    }

    func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String {
        try await write { try await base.put(key, data: data, precondition: precondition) }
    }

    func putFile(_ key: String, from file: URL, precondition: WritePrecondition) async throws -> String {
        try await write { try await base.putFile(key, from: file, precondition: precondition) }
    }

    func getLarge(_ key: String) async throws -> Data? {
        try alive()
        return try await base.getLarge(key)
    }

    func delete(_ key: String) async throws {
        try await write { try await base.delete(key) }
    }

    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing {
        try alive()
        return try await base.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }

    func uri(for key: String) -> String { base.uri(for: key) }
}
