import Recommender

/// The position-biased cascade click model (Craswell, Zoeter, Taylor & Ramsey, WSDM 2008): a rider scans the list
/// top-down, books the place in slot i with its ground-truth conversion probability and stops there; after a slot
/// that did not convert they look at the next one with probability `continuation` (1 = the pure cascade).
///
/// Slots further down are reached less often, so what a ranker puts first matters most — the bias that makes
/// interleaving credit the arm whose items sit higher.
struct CascadeClickModel: Sendable {
    /// Probability of examining slot i + 1 after slot i did not convert.
    let continuation: Double

    /// The slot the rider books in one session, or `nil` if they book nothing.
    func booking(
        count: Int, using random: inout SeededGenerator, probability: (Int) -> Double
    ) -> Int? {
        for slot in 0..<count {
            if random.nextUnit() < probability(slot) { return slot }
            if continuation < 1, random.nextUnit() >= continuation { return nil }
        }
        return nil
    }

    /// The probability that one session books anything: Σᵢ pᵢ · Πⱼ<ᵢ (1 − pⱼ) · continuation.
    func conversionProbability(count: Int, probability: (Int) -> Double) -> Double {
        var reach = 1.0, total = 0.0
        for slot in 0..<count {
            let p = probability(slot)
            total += reach * p
            reach *= (1 - p) * continuation
        }
        return total
    }
}
