/// One ranked item: its dense index in the catalog and its score.
public struct ScoredIndex: Sendable, Equatable {
    /// Dense item index (see ``IdIndex``).
    public var index: Int
    /// Model score; higher is better.
    public var score: Float
}

/// Top-k selection with a bounded min-heap: `O(n log k)` over `n` scores instead of a full sort.
///
/// Order is by score descending, ties by lower item index — i.e. by item id, as ``IdIndex`` is sorted.
/// A NaN score ranks below every number, so a broken score can never crowd out real ones.
enum TopK {
    /// `true` when `a` ranks strictly before `b`.
    @inline(__always)
    static func ranksBefore(_ a: Float, _ aIndex: Int, _ b: Float, _ bIndex: Int) -> Bool {
        a > b || (a == b && aIndex < bIndex)
    }

    @inline(__always)
    static func sanitized(_ score: Float) -> Float { score.isNaN ? -.infinity : score }

    /// The best `k` items of `scores`, skipping `excluded` (ascending, duplicates allowed).
    static func select(
        _ scores: UnsafeBufferPointer<Float>,
        k: Int,
        excluding excluded: some Collection<Int32>
    ) -> [ScoredIndex] {
        guard k > 0 else { return [] }
        var heap: [ScoredIndex] = []  // heap[0] is the worst kept item
        heap.reserveCapacity(k)
        var skip = excluded.makeIterator()
        var nextSkip = skip.next().map(Int.init)
        for index in 0..<scores.count {
            while let current = nextSkip, current < index { nextSkip = skip.next().map(Int.init) }
            if nextSkip == index { continue }
            let score = sanitized(scores[index])
            if heap.count < k {
                heap.append(ScoredIndex(index: index, score: score))
                siftUp(&heap, heap.count - 1)
            } else if ranksBefore(score, index, heap[0].score, heap[0].index) {
                heap[0] = ScoredIndex(index: index, score: score)
                siftDown(&heap, 0)
            }
        }
        return heap.sorted { ranksBefore($0.score, $0.index, $1.score, $1.index) }
    }

    /// 1-based rank of `target` among the non-excluded items (the full-ranking protocol).
    static func rank(
        of target: Int,
        in scores: UnsafeBufferPointer<Float>,
        excluding excluded: some Collection<Int32>
    ) -> Int {
        let targetScore = sanitized(scores[target])
        var better = 0
        var skip = excluded.makeIterator()
        var nextSkip = skip.next().map(Int.init)
        for index in 0..<scores.count where index != target {
            while let current = nextSkip, current < index { nextSkip = skip.next().map(Int.init) }
            if nextSkip == index { continue }
            if ranksBefore(sanitized(scores[index]), index, targetScore, target) { better += 1 }
        }
        return better + 1
    }

    private static func worse(_ a: ScoredIndex, _ b: ScoredIndex) -> Bool {
        ranksBefore(b.score, b.index, a.score, a.index)
    }

    private static func siftUp(_ heap: inout [ScoredIndex], _ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private static func siftDown(_ heap: inout [ScoredIndex], _ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < heap.count && worse(heap[left], heap[worst]) { worst = left }
            if right < heap.count && worse(heap[right], heap[worst]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
