/// How similar two ranked lists are: what a shadow model's list shares with the live one.
///
/// Two measures, because they answer different questions. Jaccard@k counts the shared items of the two top-k sets
/// and ignores order: "would the rider see the same places?". Rank-biased overlap weighs agreement near the top
/// more than agreement further down and handles lists of different lengths: "do the two rankers agree where it
/// matters?". Both ignore a repeated item after its first occurrence (a ranking says nothing new by repeating it).
public enum RankingAgreement {
    /// |top-k(a) ∩ top-k(b)| / |top-k(a) ∪ top-k(b)| (duplicates ignored); 1 when both top-k sets are empty.
    ///
    /// top-k is the first `k` distinct items of a list (all of them when it has fewer); `k <= 0` gives two empty
    /// sets, so 1: two lists cannot disagree about nothing.
    public static func jaccard(_ a: [String], _ b: [String], k: Int) -> Double {
        let topA = Set(distinct(a).prefix(max(k, 0)))
        let topB = Set(distinct(b).prefix(max(k, 0)))
        let union = topA.union(topB).count
        guard union > 0 else { return 1 }
        return Double(topA.intersection(topB).count) / Double(union)
    }

    /// Extrapolated rank-biased overlap RBO_ext (Webber, Moffat & Zobel 2010), in its form for lists of uneven
    /// lengths, exactly 1 for identical lists, 0 for disjoint; p in (0, 1), default 0.9. Both empty -> 1.
    ///
    /// Source: W. Webber, A. Moffat, J. Zobel, "A Similarity Measure for Indefinite Rankings", ACM TOIS 28(4), 2010,
    /// section 4. With `S` the shorter list (length `s`), `L` the longer (length `l`), `X_d` the overlap of the
    /// two lists' first `d` items (for `d > s`, of all of `S` with the first `d` of `L`):
    ///
    ///     RBO_ext = (1−p)/p · [ Σ_{d=1..l} X_d/d · p^d + Σ_{d=s+1..l} X_s·(d−s)/(s·d) · p^d ]
    ///               + [ (X_l − X_s)/l + X_s/s ] · p^l
    ///
    /// the paper's uneven-lengths formula (cited as its eq. 32 by the `rbo` package, gespeR and others). For
    /// `s == l` the second sum vanishes and it is the even-lengths extrapolation `(1−p)/p · Σ X_d/d · p^d +
    /// X_l/l · p^l`. It is the formula of the PyPI package `rbo` (`RankingSimilarity.rbo_ext`), which the tests
    /// compare against.
    ///
    /// It assumes the agreement seen at the end of the lists continues below them, so it is a point estimate between
    /// RBO_min and RBO_max. A shorter list that is a prefix of the longer one also scores exactly 1: every
    /// agreement in the formula is then 1 (the rest of the shorter list is unknown, and extrapolated as agreeing).
    ///
    /// Why 0.9: the top 10 ranks then carry 86 % of the weight (the paper's eq. 21), about one screen of places.
    public static func rankBiasedOverlap(_ a: [String], _ b: [String], p: Double = 0.9) -> Double {
        precondition(p > 0 && p < 1, "rank-biased overlap needs 0 < p < 1, got \(p)")
        let first = distinct(a)
        let second = distinct(b)
        let (short, long) = first.count <= second.count ? (first, second) : (second, first)
        if long.isEmpty { return 1 }
        if short.isEmpty { return 0 }
        // Every X_d = d, so every agreement is 1: the sum below would round to 1 ± an ulp or two.
        if long.starts(with: short) { return 1 }

        let s = short.count
        let l = long.count
        var seenShort = Set<String>()
        var seenLong = Set<String>()
        var overlap = 0  // X_d
        var overlapAtShortEnd = 0  // X_s
        var weight = 1 - p  // (1−p)/p · p^d, kept as (1−p)·p^(d−1) so no division by p
        var sum = 0.0
        for index in 0..<l {
            let depth = index + 1
            let fromLong = long[index]
            if index < s {
                let fromShort = short[index]
                if fromShort == fromLong {
                    overlap += 1
                } else {
                    if seenLong.contains(fromShort) { overlap += 1 }
                    if seenShort.contains(fromLong) { overlap += 1 }
                }
                seenShort.insert(fromShort)
                seenLong.insert(fromLong)
                if depth == s { overlapAtShortEnd = overlap }
                sum += weight * Double(overlap) / Double(depth)
            } else {
                if seenShort.contains(fromLong) { overlap += 1 }
                let beyondShort = Double(overlapAtShortEnd) * Double(depth - s) / (Double(s) * Double(depth))
                sum += weight * (Double(overlap) / Double(depth) + beyondShort)
            }
            weight *= p
        }
        // After the loop `weight` is (1−p)·p^l, so p^l = weight / (1−p) would lose a bit; recompute it.
        let tail =
            (Double(overlap - overlapAtShortEnd) / Double(l) + Double(overlapAtShortEnd) / Double(s))
            * integerPower(p, l)
        return min(1, max(0, sum + tail))
    }

    /// The list without repeats, first occurrences kept in order.
    static func distinct(_ list: [String]) -> [String] {
        var seen = Set<String>()
        return list.filter { seen.insert($0).inserted }
    }
}

/// `p^n` for a non-negative integer `n` by repeated squaring (exact for the small powers used here).
private func integerPower(_ base: Double, _ exponent: Int) -> Double {
    var result = 1.0
    var factor = base
    var remaining = exponent
    while remaining > 0 {
        if remaining & 1 == 1 { result *= factor }
        factor *= factor
        remaining >>= 1
    }
    return result
}
