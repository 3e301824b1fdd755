import Foundation
import FunctionRuntime
import Testing

@Suite("UUIDv7 request ids")
struct RequestIDTests {
    @Test func generatesVersion7WithTheVariantBits() {
        let id = RequestID.generate()
        #expect(id.count == 36)
        #expect(RequestID.isUUID(id))
        let characters = Array(id)
        #expect(characters[14] == "7")
        #expect("89ab".contains(characters[19]))
    }

    @Test func encodesTheCreationTimeToTheMillisecond() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.123)
        let id = RequestID.generate(at: date)
        let decoded = try #require(RequestID.timestamp(of: id))
        #expect(abs(decoded.timeIntervalSince(date)) < 0.001)
    }

    @Test func idsSortByTime() {
        let earlier = RequestID.generate(at: Date(timeIntervalSince1970: 1_000))
        let later = RequestID.generate(at: Date(timeIntervalSince1970: 1_001))
        #expect(earlier < later)
    }

    @Test func idsAreUnique() {
        let ids = (0..<10_000).map { _ in RequestID.generate(at: Date(timeIntervalSince1970: 5)) }
        #expect(Set(ids).count == ids.count)
    }

    @Test(arguments: ["", "has space", String(repeating: "a", count: 129), "tab\t", "é"])
    func rejectsUnsafeCallerIds(id: String) {
        #expect(!RequestID.isAcceptable(id))
    }

    @Test func acceptsOrdinaryCallerIds() {
        #expect(RequestID.isAcceptable("req-123_abc.DEF"))
        #expect(RequestID.timestamp(of: "req-123") == nil)
        #expect(RequestID.timestamp(of: "6ba7b810-9dad-41d1-80b4-00c04fd430c8") == nil, "version 4 has no time")
    }

    @Test func formatsLikeFoundationsUUID() throws {
        for second in 0..<200 {
            let id = RequestID.generate(at: Date(timeIntervalSince1970: Double(second) * 7_919.5))
            let parsed = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(parsed.uuidString.lowercased() == id)
        }
    }

    @Test func pooledSystemRandomKeepsGivingFreshWordsAcrossRefillsAndThreads() async {
        // 4 tasks x 1,000 words: several refills of the 512-word pool, from concurrent callers.
        let words = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var random = PooledSystemRandom()
                    return (0..<1_000).map { _ in random.next() }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(words).count == 4_000)
        // Every bit position takes both values: the words are not zero-filled or truncated.
        let ones = words.reduce(UInt64(0)) { $0 | $1 }
        let zeros = words.reduce(UInt64(0)) { $0 | ~$1 }
        #expect(ones == .max && zeros == .max)
    }
}
