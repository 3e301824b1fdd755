import Foundation
import Storage
import TestRequirements
import Testing

/// The backends the conformance suite runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case file
    case s3

    var testDescription: String { rawValue }

    /// The backends this machine can test: the S3 cases need a moto server, so without one (and outside CI, see
    /// ``ExternalRequirement``) only the folder store is tested, and `s3IsAmongTheBackends` is skipped saying so.
    static var testable: [Backend] { ExternalRequirement.moto.shouldRun ? allCases : [.file] }
}

/// A fresh, empty folder under the temporary directory, removed by the caller.
func makeTemporaryFolder(_ label: String = "store") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("rideease-storage-tests")
        .appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` with a fresh, empty store of the given backend: its own folder, or its own bucket on the shared
/// moto server. Folders are removed afterwards; buckets die with moto.
func withStore<T>(_ backend: Backend, _ body: (any ObjectStore) async throws -> T) async throws -> T {
    switch backend {
    case .file:
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(try FileStore(root: folder))
    case .s3:
        let server = try await SharedMoto.shared.get()
        return try await body(try await server.makeStore(keyPrefix: "conformance"))
    }
}

/// Every key under `prefix`, following continuation tokens.
func listAll(_ store: any ObjectStore, prefix: String, pageSize: Int) async throws -> (keys: [String], pages: Int) {
    var keys: [String] = []
    var token: String?
    var pages = 0
    repeat {
        let page = try await store.list(prefix: prefix, continuationToken: token, maxKeys: pageSize)
        #expect(page.objects.count <= pageSize)
        keys += page.objects.map(\.key)
        token = page.continuationToken
        pages += 1
    } while token != nil && pages < 10_000
    return (keys, pages)
}

/// Deterministic pseudo-random bytes (a fixed-seed xorshift), so a failure reproduces.
func pseudoRandomData(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> Data {
    var state = seed
    var data = Data(count: count)
    data.withUnsafeMutableBytes { buffer in
        let words = buffer.bindMemory(to: UInt8.self)
        for index in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            words[index] = UInt8(truncatingIfNeeded: state)
        }
    }
    return data
}
