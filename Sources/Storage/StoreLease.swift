import Foundation

/// A lease held in the store, so that one kind of work never runs twice at once across every process sharing it.
///
/// The lease object holds its owner and an expiry. It is taken with a create-only or compare-and-swap write and
/// given back by writing it expired; a holder killed with `kill -9` never gives it back, so it expires on its own
/// after `duration`. Long work renews it before then.
public struct StoreLease: Sendable {
    /// The lease of data maintenance — erasure and compaction, which both rewrite event and trace segments and
    /// must not interleave (compaction would otherwise write back a segment as it read it before an erasure).
    public static let maintenanceKey = "locks/maintenance.json"

    /// What the lease object holds.
    public struct Holder: Codable, Sendable, Hashable {
        /// Who holds it (process and purpose).
        public var owner: String
        /// When it lapses unless renewed.
        public var expiresAt: Date
    }

    /// A lease this process holds: pass it to ``renew(_:now:duration:)`` and ``release(_:)``.
    public struct Held: Sendable, Hashable {
        /// The lease object's ETag when taken or last renewed.
        public var etag: String
        /// Who holds it.
        public var owner: String
        /// When it lapses unless renewed.
        public var expiresAt: Date
    }

    let store: any ObjectStore
    /// The lease object's key.
    public let key: String

    /// A lease stored under `key`.
    public init(store: any ObjectStore, key: String) {
        self.store = store
        self.key = key
    }

    /// Takes the lease for `duration`, or throws ``StoreLeaseError/held(owner:until:)`` while another holder's
    /// lease has not expired.
    public func acquire(owner: String, now: Date, duration: TimeInterval) async throws -> Held {
        for _ in 0..<5 {
            let current = try await store.get(key)
            if let current, let holder = try? Self.decoder.decode(Holder.self, from: current.data),
                holder.expiresAt > now, holder.owner != owner
            {
                throw StoreLeaseError.held(owner: holder.owner, until: holder.expiresAt)
            }
            do {
                return try await write(owner: owner, expiresAt: now.addingTimeInterval(duration), over: current?.etag)
            } catch StorageError.preconditionFailed {
                continue  // Someone else moved first: look again.
            }
        }
        throw StoreLeaseError.contended
    }

    /// Who holds the lease at `now`, or `nil` when nobody does (never taken, given back, or expired).
    public func holder(now: Date) async throws -> Holder? {
        guard let current = try await store.get(key),
            let holder = try? Self.decoder.decode(Holder.self, from: current.data), holder.expiresAt > now
        else { return nil }
        return holder
    }

    /// Extends a held lease; throws ``StoreLeaseError/lost`` when another process took it meanwhile (it had
    /// expired), so the caller stops before it interleaves with the new holder.
    public func renew(_ held: Held, now: Date, duration: TimeInterval) async throws -> Held {
        do {
            return try await write(owner: held.owner, expiresAt: now.addingTimeInterval(duration), over: held.etag)
        } catch StorageError.preconditionFailed {
            throw StoreLeaseError.lost
        }
    }

    /// Gives the lease back if it is still the one held.
    public func release(_ held: Held) async {
        _ = try? await write(owner: held.owner, expiresAt: .distantPast, over: held.etag)
    }

    /// Runs `body` holding the lease, renewing it every `duration / 3` while `body` runs, and releases it after.
    ///
    /// A renewal that finds the lease taken stops renewing; `body`'s own writes are conditional (compare-and-swap),
    /// so even then it never overwrites what the new holder wrote.
    public func withLease<T: Sendable>(
        owner: String, now: @escaping @Sendable () -> Date, duration: TimeInterval,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let held = try await acquire(owner: owner, now: now(), duration: duration)
        let renewal = Task { [self] in
            var current = held
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(duration * 1000 / 3)))
                if Task.isCancelled { break }
                guard let renewed = try? await renew(current, now: now(), duration: duration) else { return current }
                current = renewed
            }
            return current
        }
        do {
            let result = try await body()
            renewal.cancel()
            await release(await renewal.value)
            return result
        } catch {
            renewal.cancel()
            await release(await renewal.value)
            throw error
        }
    }

    private func write(owner: String, expiresAt: Date, over etag: String?) async throws -> Held {
        let data = try Self.encoder.encode(Holder(owner: owner, expiresAt: expiresAt))
        let written = try await store.put(key, data: data, precondition: etag.map { .ifMatch($0) } ?? .ifNoneMatch)
        return Held(etag: written, owner: owner, expiresAt: expiresAt)
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// Why a lease could not be taken or kept.
public enum StoreLeaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process holds it until then.
    case held(owner: String, until: Date)
    /// Others kept taking it as this process tried.
    case contended
    /// It expired and another process took it.
    case lost

    public var description: String {
        switch self {
        case .held(let owner, let until): "held by \(owner) until \(until.formatted(.iso8601))"
        case .contended: "other processes kept taking it"
        case .lost: "it expired and another process took it"
        }
    }
}
