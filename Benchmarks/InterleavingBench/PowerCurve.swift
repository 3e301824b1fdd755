import Foundation

/// Riders needed for a target power, read off a measured power curve.
struct RidersNeeded: Sendable {
    enum Kind: Sendable { case exact, atMost, moreThan }
    let riders: Double
    let kind: Kind

    /// The first crossing of `target` on the grid, interpolated linearly in log N between the sizes around it;
    /// sizes missing from `power` had saturated earlier and count as reaching it.
    init(target: Double, sizes: [Int], power: (Int) -> Double?) {
        var previous: (n: Int, p: Double)?
        for n in sizes {
            let p = power(n) ?? 1
            if p >= target {
                guard let previous else {
                    self.init(riders: Double(n), kind: .atMost)
                    return
                }
                let fraction = (target - previous.p) / (p - previous.p)
                let logN = log(Double(previous.n)) + fraction * (log(Double(n)) - log(Double(previous.n)))
                self.init(riders: exp(logN), kind: .exact)
                return
            }
            previous = (n, p)
        }
        self.init(riders: Double(sizes.last ?? 0), kind: .moreThan)
    }

    init(riders: Double, kind: Kind) {
        self.riders = riders
        self.kind = kind
    }

    var text: String {
        let number = Report.integer(riders)
        switch kind {
        case .exact: return number
        case .atMost: return "≤ " + number
        case .moreThan: return "> " + number
        }
    }
}

/// `a ÷ b` of two riders-needed figures, as a value with the side it is known on.
struct NeededRatio: Sendable {
    enum Kind: Sendable { case exact, atLeast, atMost, unknown }
    let value: Double
    let kind: Kind

    init(_ a: RidersNeeded, over b: RidersNeeded) {
        value = a.riders / b.riders
        switch (a.kind, b.kind) {
        case (.exact, .exact): kind = .exact
        case (.exact, .atMost), (.moreThan, .exact), (.moreThan, .atMost): kind = .atLeast
        case (.atMost, .exact), (.exact, .moreThan), (.atMost, .moreThan): kind = .atMost
        default: kind = .unknown
        }
    }

    var text: String {
        let number = String(format: "%.1f×", value)
        switch kind {
        case .exact: return number
        case .atLeast: return "≥ " + number
        case .atMost: return "≤ " + number
        case .unknown: return "? (" + number + ")"
        }
    }

    /// PASS when the ratio is known to be at least `goal`, FAIL when known below, else UNDETERMINED.
    func verdict(goal: Double) -> String {
        switch kind {
        case .exact: return value >= goal ? "PASS" : "FAIL"
        case .atLeast: return value >= goal ? "PASS" : "UNDETERMINED"
        case .atMost: return value < goal ? "FAIL" : "UNDETERMINED"
        case .unknown: return "UNDETERMINED"
        }
    }
}
