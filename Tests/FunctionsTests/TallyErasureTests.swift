import Experiments
import Foundation
import FunctionRuntime
import Storage
import Synchronization
import Testing

@testable import Functions

@Suite("erasing a rider from the experiment tallies")
struct TallyErasureTests {
    static let rider = "r7"
    static let hash = UserSet.hash(rider)
    static let hours = [Date(timeIntervalSince1970: 1_767_225_600), Date(timeIntervalSince1970: 1_767_229_200)]

    /// Two experiments (A/B with a shadow, and interleaving), two hours, two writers each; the rider appears in
    /// every kind of rider set and credit. The first hour is rolled up, the second is not.
    static func populate(_ store: any ObjectStore) async throws {
        for (writer, riders) in [("a", 0..<20), ("b", 10..<30)] {
            let accumulator = TallyAccumulator()
            for hour in hours {
                for number in riders {
                    let userId = "r\(number)"
                    let variant = number % 2 == 0 ? "control" : "treatment"
                    let at = hour + Double(60 + number)
                    accumulator.exposure(experimentId: "ab", userId: userId, variant: variant, latencyMs: 4, at: at)
                    if number % 3 == 1 {
                        accumulator.conversion(experimentId: "ab", userId: userId, variant: variant, at: at + 5)
                    }
                    accumulator.shadow(
                        ShadowOutcome(
                            experimentId: "ab", version: "v0.2.0", variant: variant, activity: .light, userId: userId,
                            result: .compared(jaccard: 0.5, rbo: 0.4, topItemChanged: number % 2 == 1),
                            latencyMs: 2, at: at))
                    accumulator.interleavedExposure(
                        experimentId: "il", userId: userId, firstPick: number % 2 == 0 ? .control : .treatment,
                        latencyMs: 3, at: at)
                    accumulator.credit(
                        experimentId: "il", userId: userId, arm: number % 3 == 0 ? .both : .treatment, at: at + 9)
                }
            }
            for (sequence, drained) in accumulator.drain().enumerated() {
                try await TallyStore(store: store, experimentId: drained.experimentId)
                    .write(drained.tally, writerID: writer, sequence: sequence + 1)
            }
        }
        for experiment in ["ab", "il"] {
            _ = try await TallyStore(store: store, experimentId: experiment).read(
                hours: [hours[0]], now: hours[1] + 4000)
        }
    }

    /// Every tally object of the store, decoded (a rollup as its merged tally).
    static func objects(_ store: any ObjectStore) async throws -> [String: (HourTally, etag: String)] {
        var result: [String: (HourTally, etag: String)] = [:]
        let page = try await store.list(prefix: "experiments/", continuationToken: nil, maxKeys: 1000)
        for object in page.objects {
            let stored = try #require(try await store.get(object.key))
            let tally =
                object.key.contains("/hourly/")
                ? try JSONCoding.decoder.decode(TallyStore.Rollup.self, from: stored.data).tally
                : try JSONCoding.decoder.decode(HourTally.self, from: stored.data)
            result[object.key] = (tally, stored.etag)
        }
        return result
    }

    /// Every rider set of a tally, named.
    static func riderSets(_ tally: HourTally) -> [String: [UInt64]] {
        var sets: [String: [UInt64]] = [:]
        for (name, variant) in tally.variants {
            sets["\(name).exposed"] = variant.exposed.hashes
            sets["\(name).converted"] = variant.converted.hashes
        }
        if let interleaving = tally.interleaving { sets["credits"] = interleaving.credits.keys.sorted() }
        for (version, variants) in tally.shadow?.versions ?? [:] {
            for (variant, activities) in variants {
                for (activity, counts) in activities {
                    sets["shadow.\(version).\(variant).\(activity).riders"] = counts.riders.hashes
                    sets["shadow.\(version).\(variant).\(activity).changed"] = counts.ridersTopItemChanged.hashes
                }
            }
        }
        return sets
    }

    @Test func theRiderLeavesEveryPartAndRollupAndNothingElseChanges() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-tally-erasure-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try FileStore(root: root)
        try await Self.populate(store)
        let before = try await Self.objects(store)
        #expect(before.keys.contains { $0.contains("/hourly/") })
        let holding = before.filter { Self.riderSets($0.value.0).values.contains { $0.contains(Self.hash) } }
        #expect(holding.count == 6)  // writer a's parts of both hours and the first hour's rollup, in both experiments

        let rewritten = try await TallyErasure(store: store).eraseRider(Self.rider)
        #expect(rewritten == holding.count)
        let after = try await Self.objects(store)
        #expect(Set(after.keys) == Set(before.keys))
        for (key, (old, etag)) in before {
            let (new, newEtag) = try #require(after[key])
            #expect((etag == newEtag) == (holding[key] == nil), "\(key)")
            let oldSets = Self.riderSets(old)
            let newSets = Self.riderSets(new)
            #expect(Set(oldSets.keys) == Set(newSets.keys), "\(key)")
            for (name, hashes) in oldSets {
                #expect(newSets[name] == hashes.filter { $0 != Self.hash }, "\(key) \(name)")
            }
            // Counts stay; other riders' credits stay.
            for (name, variant) in old.variants {
                #expect(new.variants[name]?.requests == variant.requests)
                #expect(new.variants[name]?.latency == variant.latency)
            }
            #expect(new.interleaving?.firstPicks == old.interleaving?.firstPicks)
            for (rider, credit) in old.interleaving?.credits ?? [:] where rider != Self.hash {
                #expect(new.interleaving?.credits[rider] == credit)
            }
            for (version, variants) in old.shadow?.versions ?? [:] {
                for (variant, activities) in variants {
                    for (activity, counts) in activities {
                        let erased = new.shadow?.versions[version]?[variant]?[activity]
                        #expect(erased?.scored == counts.scored)
                        #expect(erased?.topItemChanged == counts.topItemChanged)
                    }
                }
            }
        }
        #expect(try await TallyErasure(store: store).eraseRider(Self.rider) == 0)
        #expect(try await Self.objects(store).mapValues(\.etag) == after.mapValues(\.etag))
    }

    @Test func uniqueRiderCountsDropByExactlyThatRider() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-tally-erasure-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try FileStore(root: root)
        try await Self.populate(store)
        let now = Self.hours[1] + 600
        func window(_ experiment: String) async throws -> HourTally {
            let hours = try await TallyStore(store: store, experimentId: experiment).read(hours: Self.hours, now: now)
            return HourTally.merging(Array(hours.values), hourStart: Self.hours[0])
        }
        let ab = try await window("ab")
        let il = try await window("il")
        _ = try await TallyErasure(store: store).eraseRider(Self.rider)
        let abAfter = try await window("ab")
        let ilAfter = try await window("il")
        // r7 is odd (treatment) and 7 % 3 == 1 (converted).
        #expect(abAfter.variants["treatment"]?.exposed.count == (ab.variants["treatment"]?.exposed.count ?? 0) - 1)
        #expect(abAfter.variants["treatment"]?.converted.count == (ab.variants["treatment"]?.converted.count ?? 0) - 1)
        #expect(abAfter.variants["control"] == ab.variants["control"])
        #expect(abAfter.variants["treatment"]?.requests == ab.variants["treatment"]?.requests)
        let interleaved = Recommend.interleavedVariant
        #expect(ilAfter.variants[interleaved]?.exposed.count == (il.variants[interleaved]?.exposed.count ?? 0) - 1)
        #expect(ilAfter.interleaving?.credits.count == (il.interleaving?.credits.count ?? 0) - 1)
        #expect(ilAfter.interleaving?.credits[Self.hash] == nil)
        let shadowBefore = try #require(ab.shadow?.versions["v0.2.0"]?["treatment"]?["light"])
        let shadowAfter = try #require(abAfter.shadow?.versions["v0.2.0"]?["treatment"]?["light"])
        #expect(shadowAfter.riders.count == shadowBefore.riders.count - 1)
        #expect(shadowAfter.ridersTopItemChanged.count == shadowBefore.ridersTopItemChanged.count - 1)
        #expect(shadowAfter.scored == shadowBefore.scored)
    }

    @Test func aRiderWithNoTalliesRewritesNothing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-tally-erasure-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try FileStore(root: root)
        try await Self.populate(store)
        let before = try await Self.objects(store).mapValues(\.etag)
        #expect(try await TallyErasure(store: store).eraseRider("never-rode-with-us") == 0)
        #expect(try await Self.objects(store).mapValues(\.etag) == before)
    }

    @Test func removingAHashKeepsTheSetSortedAndSaysWhetherItWasThere() {
        var set = UserSet(userIds: (0..<50).map { "r\($0)" })
        let first = set.remove(Self.hash)
        let second = set.remove(Self.hash)
        #expect(first && !second)
        #expect(set == UserSet(userIds: (0..<50).filter { $0 != 7 }.map { "r\($0)" }))
        var empty = UserSet()
        let fromEmpty = empty.remove(Self.hash)
        #expect(!fromEmpty && empty.count == 0)
    }
}

@Suite("tally erasure against concurrent rewrites")
struct TallyErasureConcurrencyTests {
    /// Rewrites each object once, behind the erasure's back, between its read and its compare-and-swap: as another
    /// process rewriting the same part would. The erasure must lose that race, read again and still win.
    final class InterferingStore: ObjectStore {
        let base: any ObjectStore
        private let interfered = Mutex<Set<String>>([])

        init(_ base: any ObjectStore) { self.base = base }

        var interferences: Int { interfered.withLock { $0.count } }

        func put(_ key: String, data: Data, precondition: WritePrecondition) async throws -> String {
            if case .ifMatch = precondition, interfered.withLock({ $0.insert(key).inserted }),
                let current = try await base.get(key)
            {
                // Same tally, other bytes: the store's ETags hash the content.
                try await base.put(key, data: current.data + Data(" ".utf8), precondition: .ifMatch(current.etag))
            }
            return try await base.put(key, data: data, precondition: precondition)
        }

        func get(_ key: String) async throws -> StoredObject? { try await base.get(key) }
        func head(_ key: String) async throws -> ObjectInfo? { try await base.head(key) }
        func delete(_ key: String) async throws { try await base.delete(key) }
        func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListing {
            try await base.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
        }
        func uri(for key: String) -> String { base.uri(for: key) }
    }

    @Test func aLostCompareAndSwapIsRetried() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-tally-erasure-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try FileStore(root: root)
        try await TallyErasureTests.populate(store)
        let interfering = InterferingStore(store)
        let rewritten = try await TallyErasure(store: interfering).eraseRider(TallyErasureTests.rider)
        #expect(rewritten == 6)
        #expect(interfering.interferences == 6)
        for (key, (tally, _)) in try await TallyErasureTests.objects(store) {
            let sets = TallyErasureTests.riderSets(tally)
            #expect(!sets.values.contains { $0.contains(TallyErasureTests.hash) }, "\(key)")
        }
    }
}
