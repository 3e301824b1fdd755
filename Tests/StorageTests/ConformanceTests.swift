import Foundation
import Storage
import TestRequirements
import Testing

/// One suite, every backend: what any ``ObjectStore`` must do.
@Suite("ObjectStore conformance")
struct ConformanceTests {
    @Test("the S3 backend is among the conformance cases", .requires(.moto))
    func s3IsAmongTheBackends() {
        #expect(Backend.testable == Backend.allCases)
    }

    @Test("put, get, head and overwrite round-trip", arguments: Backend.testable)
    func roundTrip(backend: Backend) async throws {
        try await withStore(backend) { store in
            let etag = try await store.put("models/v1/metadata.json", data: Data(#"{"v":1}"#.utf8), precondition: .none)
            let object = try #require(try await store.get("models/v1/metadata.json"))
            #expect(object.key == "models/v1/metadata.json")
            #expect(object.data == Data(#"{"v":1}"#.utf8))
            #expect(object.etag == etag)
            let info = try #require(try await store.head("models/v1/metadata.json"))
            #expect(info.size == 7)
            #expect(info.etag == etag)
            #expect(info.lastModified != nil)

            let newETag = try await store.put("models/v1/metadata.json", data: Data("v2".utf8), precondition: .none)
            #expect(newETag != etag)
            #expect(try await store.get("models/v1/metadata.json")?.data == Data("v2".utf8))
        }
    }

    @Test("binary, empty and unusual-but-valid keys", arguments: Backend.testable)
    func binaryAndEmpty(backend: Backend) async throws {
        try await withStore(backend) { store in
            let binary = Data((0...255).map { UInt8($0) } + [0, 0, 0x0A, 0x0D, 0xFF])
            try await store.put("blob/all-bytes.bin", data: binary, precondition: .ifNoneMatch)
            #expect(try await store.get("blob/all-bytes.bin")?.data == binary)

            try await store.put("blob/empty", data: Data(), precondition: .ifNoneMatch)
            let empty = try #require(try await store.get("blob/empty"))
            #expect(empty.data.isEmpty)
            #expect(try await store.head("blob/empty")?.size == 0)

            for key in ["with space/and~tilde_under-score.x", "a/b.c/d-e", "UPPER/lower/123", "x/y/z/deep/er/still"] {
                try await store.put(key, data: Data(key.utf8), precondition: .none)
                #expect(try await store.get(key)?.data == Data(key.utf8))
            }
        }
    }

    @Test("missing objects and deletes", arguments: Backend.testable)
    func missingAndDelete(backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.get("nope/never") == nil)
            #expect(try await store.head("nope/never") == nil)
            try await store.delete("nope/never")  // deleting a missing object is fine

            try await store.put("gone/soon", data: Data("x".utf8), precondition: .none)
            try await store.delete("gone/soon")
            #expect(try await store.get("gone/soon") == nil)
            #expect(try await store.list(prefix: "gone/", continuationToken: nil, maxKeys: 10).objects.isEmpty)
            // Created afresh after a delete: create-only succeeds again.
            try await store.put("gone/soon", data: Data("y".utf8), precondition: .ifNoneMatch)
        }
    }

    @Test("objects of 16 MiB and more", arguments: Backend.testable)
    func largeObject(backend: Backend) async throws {
        try await withStore(backend) { store in
            let data = pseudoRandomData(count: 16 * 1024 * 1024 + 3)
            let etag = try await store.put("models/big/model.bin", data: data, precondition: .ifNoneMatch)
            let object = try #require(try await store.get("models/big/model.bin"))
            #expect(object.data.count == data.count)
            #expect(object.data == data)
            #expect(object.etag == etag)
            #expect(try await store.head("models/big/model.bin")?.size == data.count)
        }
    }

    @Test("listing thousands of keys, page by page", arguments: Backend.testable)
    func listingWithPagination(backend: Backend) async throws {
        try await withStore(backend) { store in
            let count = 2_500
            let keys = (0..<count).map { index in "events/2025/\(index % 7)/seg-\(String(index * 7919 % 100_000))" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                // A bounded number of writers in flight: 2 cores, and moto is one Python process.
                var next = 0
                func addNext() {
                    let key = keys[next]
                    group.addTask { try await store.put(key, data: Data(key.utf8), precondition: .none) }
                    next += 1
                }
                while next < min(8, count) { addNext() }
                while try await group.next() != nil {
                    if next < count { addNext() }
                }
            }
            try await store.put("events-other/x", data: Data(), precondition: .none)
            try await store.put("eventsz", data: Data(), precondition: .none)

            let (all, pages) = try await listAll(store, prefix: "events/", pageSize: 1000)
            #expect(pages == 3)
            #expect(all.count == count)
            #expect(all == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            #expect(Set(all).count == count)

            let (subset, subsetPages) = try await listAll(store, prefix: "events/2025/3/", pageSize: 97)
            let expected = keys.filter { $0.hasPrefix("events/2025/3/") }.sorted()
            #expect(subset == expected)
            #expect(subsetPages == (expected.count + 96) / 97)

            // A prefix that ends inside a segment matches key prefixes, not folders.
            let (partial, _) = try await listAll(store, prefix: "events", pageSize: 1000)
            #expect(partial.count == count + 2)
            let page = try await store.list(prefix: "events/2025/1/seg-1", continuationToken: nil, maxKeys: 1000)
            #expect(!page.objects.isEmpty)
            #expect(page.objects.allSatisfy { $0.key.hasPrefix("events/2025/1/seg-1") })
            #expect(try await store.list(prefix: "absent/", continuationToken: nil, maxKeys: 10).objects.isEmpty)
        }
    }

    @Test("every precondition case", arguments: Backend.testable)
    func preconditions(backend: Backend) async throws {
        try await withStore(backend) { store in
            let key = "deployments/exp-1.json"
            // ifMatch on a missing object fails.
            await expectPreconditionFailed(key) {
                try await store.put(key, data: Data("0".utf8), precondition: .ifMatch(#""abc""#))
            }
            // ifNoneMatch creates…
            let first = try await store.put(key, data: Data("1".utf8), precondition: .ifNoneMatch)
            // …and only once.
            await expectPreconditionFailed(key) {
                try await store.put(key, data: Data("x".utf8), precondition: .ifNoneMatch)
            }
            // ifMatch with the current ETag swaps.
            let second = try await store.put(key, data: Data("2".utf8), precondition: .ifMatch(first))
            #expect(second != first)
            // ifMatch with a stale ETag fails and leaves the object alone.
            await expectPreconditionFailed(key) {
                try await store.put(key, data: Data("3".utf8), precondition: .ifMatch(first))
            }
            #expect(try await store.get(key)?.data == Data("2".utf8))
            #expect(try await store.get(key)?.etag == second)
            // The ETag read back works as a precondition too.
            let read = try #require(try await store.get(key))
            try await store.put(key, data: Data("4".utf8), precondition: .ifMatch(read.etag))
            // An unconditional put always wins.
            try await store.put(key, data: Data("5".utf8), precondition: .none)
            #expect(try await store.get(key)?.data == Data("5".utf8))
        }
    }

    @Test("create-only races have exactly one winner", arguments: Backend.testable)
    func createOnlyRace(backend: Backend) async throws {
        try await withStore(backend) { store in
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for writer in 0..<16 {
                    group.addTask {
                        do {
                            try await store.put(
                                "scheduler/lease.json", data: Data("\(writer)".utf8), precondition: .ifNoneMatch)
                            return true
                        } catch StorageError.preconditionFailed {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }

    @Test("compare-and-swap from many tasks: one winner per generation, no lost update", arguments: Backend.testable)
    func concurrentCompareAndSwap(backend: Backend) async throws {
        try await withStore(backend) { store in
            let key = "counters/clicks"
            try await store.put(key, data: Data("0".utf8), precondition: .ifNoneMatch)
            let tasks = 20
            let increments = 10
            // Each successful swap records the value it wrote: every value 1...200 must be written exactly once.
            let written = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<tasks {
                    group.addTask {
                        var mine: [Int] = []
                        for _ in 0..<increments {
                            var attempts = 0
                            while true {
                                attempts += 1
                                try #require(attempts < 2_000, "CAS retry loop did not converge")
                                let current = try #require(try await store.get(key))
                                let value = Int(String(decoding: current.data, as: UTF8.self))! + 1
                                do {
                                    try await store.put(
                                        key, data: Data("\(value)".utf8), precondition: .ifMatch(current.etag))
                                    mine.append(value)
                                    break
                                } catch StorageError.preconditionFailed {
                                    // Lost the race: back off a little (with jitter) as a real client should.
                                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...min(40, attempts * 4))))
                                    continue
                                }
                            }
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            let final = try #require(try await store.get(key))
            #expect(String(decoding: final.data, as: UTF8.self) == "\(tasks * increments)")
            #expect(written.sorted() == Array(1...(tasks * increments)))
        }
    }

    static let invalidKeys: [String] = [
        "", "/absolute", "../escape", "a/../../b", "a/./b", ".", "..", "a//b", "trailing/", "nul\u{0}byte",
        "new\nline", "tab\there", "back\\slash", "del\u{7F}", String(repeating: "k", count: 1000),
        String(repeating: "s", count: 256) + "/x",
    ]

    @Test("invalid keys are refused by every operation", arguments: Backend.testable)
    func keyValidation(backend: Backend) async throws {
        try await withStore(backend) { store in
            for key in Self.invalidKeys {
                await expectInvalidKey { try await store.put(key, data: Data("x".utf8), precondition: .none) }
                await expectInvalidKey { _ = try await store.get(key) }
                await expectInvalidKey { _ = try await store.head(key) }
                await expectInvalidKey { try await store.delete(key) }
            }
            for prefix in ["/abs", "../up", "a//", "a/../b/", "x\u{0}"] {
                await expectInvalidKey { _ = try await store.list(prefix: prefix, continuationToken: nil, maxKeys: 5) }
            }
            let everything = try await store.list(prefix: "", continuationToken: nil, maxKeys: 5)
            #expect(everything.objects.isEmpty)
        }
    }
}

func expectPreconditionFailed(
    _ key: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected preconditionFailed for \(key), but the write succeeded", sourceLocation: sourceLocation)
    } catch StorageError.preconditionFailed(let failedKey) {
        #expect(failedKey == key, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected preconditionFailed, got \(error)", sourceLocation: sourceLocation)
    }
}

func expectInvalidKey(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected invalidKey, but the call succeeded", sourceLocation: sourceLocation)
    } catch StorageError.invalidKey {
        return
    } catch {
        Issue.record("expected invalidKey, got \(error)", sourceLocation: sourceLocation)
    }
}
