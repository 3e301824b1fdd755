import Testing

@testable import Recommender

@Suite("Top-k selection")
struct TopKTests {
    /// The reference: a full sort by (score desc, index asc) after removing excluded items.
    func bruteForce(_ scores: [Float], k: Int, excluded: Set<Int>) -> [Int] {
        scores.indices.filter { !excluded.contains($0) }
            .sorted { TopK.ranksBefore(TopK.sanitized(scores[$0]), $0, TopK.sanitized(scores[$1]), $1) }
            .prefix(k).map { $0 }
    }

    @Test("matches a brute-force sort", arguments: [1, 3, 10, 50, 200, 400])
    func matchesBruteForce(k: Int) {
        var random = SeededGenerator(seed: UInt64(k))
        for _ in 0..<20 {
            // Few distinct values force many ties, which must fall back to the lower index.
            // NaN and -infinity test the "ranks last" rule; repeated exclusions the run boundaries.
            let scores = (0..<300).map { _ -> Float in
                switch random.nextInt(below: 40) {
                case 0: .nan
                case 1: -.infinity
                case let value: Float(value % 12)
                }
            }
            let excluded = (0..<40).map { _ in random.nextInt(below: 300) }
            let selected = scores.withUnsafeBufferPointer {
                TopK.select($0, k: k, excluding: (excluded + excluded.prefix(5)).map(Int32.init).sorted())
            }
            #expect(selected.map(\.index) == bruteForce(scores, k: k, excluded: Set(excluded)))
        }
    }

    @Test("ties break by item index, i.e. by item id")
    func ties() {
        let scores: [Float] = [1, 2, 2, 2, 0]
        let top = scores.withUnsafeBufferPointer { TopK.select($0, k: 2, excluding: [Int32]()) }
        #expect(top.map(\.index) == [1, 2])
    }

    @Test("NaN ranks last and excluded items never appear")
    func nanAndExclusion() {
        let scores: [Float] = [.nan, 5, 4, .infinity]
        let top = scores.withUnsafeBufferPointer { TopK.select($0, k: 4, excluding: [3] as [Int32]) }
        #expect(top.map(\.index) == [1, 2, 0])
    }

    @Test("k = 0 or an empty catalog gives nothing")
    func degenerate() {
        let scores: [Float] = [1, 2]
        #expect(scores.withUnsafeBufferPointer { TopK.select($0, k: 0, excluding: [Int32]()) }.isEmpty)
        #expect([Float]().withUnsafeBufferPointer { TopK.select($0, k: 5, excluding: [Int32]()) }.isEmpty)
    }
}
