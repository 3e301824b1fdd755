import Foundation
import Storage
import Synchronization

/// A store that fails every write and delete after the first `allowedMutations`, as if the process was killed
/// there: what was written before stays, nothing after happens.
final class FaultInjectingStore: ObjectStore {
    struct Crash: Error {}

    let base: any ObjectStore
    private let remaining: Mutex<Int>

    init(_ base: any ObjectStore, allowedMutations: Int) {
        self.base = base
        remaining = Mutex(allowedMutations)
    }

    /// Whether the crash point was reached.
    var crashed: Bool { remaining.withLock { $0 < 0 } }

    private func mutate() throws {
        let allowed = remaining.withLock { value -> Bool in
            value -= 1
            return value >= 0
        }
        if !allowed { throw Crash() }
    }

    func get(_ key: String) async throws -> StoredObject? { try await base.get(key) }
    func head(_ key: String) async throws -> ObjectInfo? { try await base.head(key) }

    func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String {
        try mutate()
        return try await base.put(key, data: data, precondition: precondition)
    }

    func delete(_ key: String) async throws {
        try mutate()
        try await base.delete(key)
    }

    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing {
        try await base.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }

    func uri(for key: String) -> String { base.uri(for: key) }
}
