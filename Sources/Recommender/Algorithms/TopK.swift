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
        // The items between two excluded ones are scanned as one run, with no exclusion check per item.
        var runStart = 0
        for skipped in excluded {
            let runEnd = min(Int(skipped), scores.count)
            if runEnd > runStart { keepBest(scores, runStart..<runEnd, k: k, in: &heap) }
            runStart = max(runStart, Int(skipped) + 1)
        }
        if runStart < scores.count { keepBest(scores, runStart..<scores.count, k: k, in: &heap) }
        return heap.sorted { ranksBefore($0.score, $0.index, $1.score, $1.index) }
    }

    /// Offers the items of `run` to the heap of the best `k`. Runs are offered in increasing index order.
    @inline(__always)
    private static func keepBest(
        _ scores: UnsafeBufferPointer<Float>, _ run: Range<Int>, k: Int, in heap: inout [ScoredIndex]
    ) {
        var index = run.lowerBound
        while index < run.upperBound && heap.count < k {
            heap.append(ScoredIndex(index: index, score: sanitized(scores[index])))
            siftUp(&heap, heap.count - 1)
            index += 1
        }
        guard index < run.upperBound else { return }
        var worst = heap[0].score
        while index < run.upperBound {
            // Once the heap is full, one comparison passes over almost every item: an equal score has a higher
            // index than the kept one, so it ranks after it, and a NaN compares false (it ranks last).
            let score = scores[index]
            if score > worst {
                heap[0] = ScoredIndex(index: index, score: score)
                siftDown(&heap, 0)
                worst = heap[0].score
            }
            index += 1
        }
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
