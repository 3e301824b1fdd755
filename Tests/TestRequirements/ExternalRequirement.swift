import Foundation
import Testing

/// Something a test needs beyond the Swift toolchain: a program, or Python with some packages.
///
/// `swift test` on a machine with only the toolchain skips such tests, saying what they need. CI must never skip
/// them silently, so when `CI=true` or `RIDEEASE_REQUIRE_EXTERNAL_TOOLS=1` (scripts/test.sh sets it) a missing
/// requirement runs the test anyway and fails it with the same message.
public struct ExternalRequirement: Sendable, CustomStringConvertible {
    /// What is needed, as a person would say it ("python3 with statsmodels, scipy and growthbook").
    public let description: String
    /// How to get it.
    public let installHint: String
    /// Whether this machine has it; probed once, when first asked.
    public let isMet: Bool

    public init(_ description: String, installHint: String, probe: () -> Bool) {
        self.description = description
        self.installHint = installHint
        self.isMet = probe()
    }

    /// True when missing requirements must fail tests instead of skipping them.
    public static var isEnforced: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"]?.lowercased() == "true" || environment["RIDEEASE_REQUIRE_EXTERNAL_TOOLS"] == "1"
    }

    /// Whether a test that needs this should run: it is met, or CI demands that every test runs.
    public var shouldRun: Bool { isMet || Self.isEnforced }

    /// The reason shown when a test is skipped, or the failure when CI demands the test.
    public var message: String { "needs \(description); \(installHint)" }

    /// Call at the start of the work that needs the requirement. Missing and not enforced: cancels the current test
    /// (or the current argument of a parameterized test), which Swift Testing reports as skipped with ``message``.
    /// Missing and enforced: throws, which fails the test.
    public func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard !isMet else { return }
        if Self.isEnforced {
            throw MissingRequirement(
                description: "\(message) (required because CI=true or RIDEEASE_REQUIRE_EXTERNAL_TOOLS=1)")
        }
        try Test.cancel(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}

/// A requirement that CI demands but this machine lacks.
public struct MissingRequirement: Error, CustomStringConvertible {
    public let description: String
}

extension Trait where Self == ConditionTrait {
    /// Runs the test or suite only where `requirement` is met, or wherever CI demands every test (then a missing
    /// requirement fails the test through ``ExternalRequirement/check(sourceLocation:)``).
    public static func requires(
        _ requirement: ExternalRequirement, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Self {
        .enabled(if: requirement.shouldRun, Comment(rawValue: requirement.message), sourceLocation: sourceLocation)
    }
}
