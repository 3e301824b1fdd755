import Foundation

/// How long an erasure waits before its final pass, and how long its hold on the maintenance lease lasts.
public struct ErasureSettings: Sendable, Equatable {
    /// Seconds from the request to the final pass over events and traces (default 30: twice and more the segment
    /// writers' 5 s flush interval, so events buffered when the request came are written by then).
    public static let settleVariable = "RIDEEASE_ERASURE_SETTLE_SECONDS"
    /// Seconds a maintenance lease lasts unless renewed (default 120; a holder killed with `kill -9` blocks
    /// compaction and other erasures for at most this long).
    public static let leaseVariable = "RIDEEASE_MAINTENANCE_LEASE_SECONDS"

    /// Seconds to wait before the final pass.
    public var settle: TimeInterval
    /// Seconds the maintenance lease lasts unless renewed.
    public var leaseDuration: TimeInterval

    /// Explicit settings.
    public init(settle: TimeInterval = 30, leaseDuration: TimeInterval = 120) {
        self.settle = settle
        self.leaseDuration = leaseDuration
    }

    /// The settings `environment` gives (defaults for what it leaves out), or a message naming the bad variable.
    public init(environment: [String: String]) throws(ErasureSettingsError) {
        self.init()
        settle = try Self.seconds(environment, Self.settleVariable, range: 0...86_400) ?? settle
        leaseDuration = try Self.seconds(environment, Self.leaseVariable, range: 1...3600) ?? leaseDuration
    }

    private static func seconds(
        _ environment: [String: String], _ name: String, range: ClosedRange<Double>
    ) throws(ErasureSettingsError) -> TimeInterval? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw ErasureSettingsError(
                "\(name) must be a number of seconds from \(Int(range.lowerBound)) to \(Int(range.upperBound)), "
                    + "not \"\(text)\"")
        }
        return value
    }
}

/// A badly set erasure variable.
public struct ErasureSettingsError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public var description: String

    init(_ description: String) { self.description = description }
}
