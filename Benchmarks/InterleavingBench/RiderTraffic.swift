import Foundation
import Recommender

/// Who shows up in a simulated experiment and how often: riders are drawn with replacement from the world, each
/// opens the app a Poisson number of times over the window with a mean proportional to their activity.
///
/// Only riders with at least one session count (they are the ones either design exposes), so a draw with no
/// session in the window is redrawn; active riders are therefore over-represented among the exposed, as in real
/// traffic. `N riders` everywhere in the report means exposed riders.
struct RiderTraffic: Sendable {
    /// Per world rider: relative activity (log-normal, from the world).
    let activities: [Double]
    /// Sessions per day of a rider of activity 1.
    let sessionsPerDay: Double
    /// Days of the experiment window.
    let windowDays: Double
    /// Days of the pre-period CUPED reads its covariate from.
    let preWindowDays: Int
    /// Looks at the data over the window (the last one is the fixed-horizon analysis).
    let looks: Int

    /// One exposed rider.
    struct Draw {
        /// Index into the world's riders.
        var rider: Int
        /// Sessions in the window (≥ 1).
        var sessions: Int
    }

    /// Draws an exposed rider.
    func exposedRider(using random: inout SeededGenerator) -> Draw {
        while true {
            let rider = random.nextInt(below: activities.count)
            let sessions = Self.poisson(activities[rider] * sessionsPerDay * windowDays, &random)
            if sessions > 0 { return Draw(rider: rider, sessions: sessions) }
        }
    }

    /// Sessions of `rider` in the pre-period (may be 0: no history).
    func preWindowSessions(rider: Int, using random: inout SeededGenerator) -> Int {
        Self.poisson(activities[rider] * sessionsPerDay * Double(preWindowDays), &random)
    }

    /// The first look (0-based) that sees a session: its time is uniform over the window and look k happens at
    /// (k + 1)/looks of it.
    func lookOfSession(using random: inout SeededGenerator) -> Int {
        min(looks - 1, Int(random.nextUnit() * Double(looks)))
    }

    /// Knuth's Poisson sampler; the means here stay below ~30, where it is exact and quick.
    static func poisson(_ mean: Double, _ random: inout SeededGenerator) -> Int {
        let limit = exp(-mean)
        var product = random.nextUnit(), count = 0
        while product > limit && count < 10_000 {
            product *= random.nextUnit()
            count += 1
        }
        return count
    }
}
