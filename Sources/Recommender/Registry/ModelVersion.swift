/// A model's semantic version, `v<major>.<minor>.<patch>`; each training run registers the next minor version.
public struct ModelVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Incompatible artifact or feature changes.
    public var major: Int
    /// A new training run.
    public var minor: Int
    /// A re-registration of the same training (unused by the pipeline, accepted when parsing).
    public var patch: Int

    /// Creates a version.
    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `v1.2.3`; anything else (including path tricks like `v1.2.3/..`) is `nil`.
    public init?(_ text: String) {
        guard text.hasPrefix("v"), text.count <= 32 else { return nil }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            parts.allSatisfy({ $0 == "0" || !$0.hasPrefix("0") }),
            let major = Int(parts[0]), let minor = Int(parts[1]), let patch = Int(parts[2])
        else { return nil }
        self.init(major: major, minor: minor, patch: patch)
    }

    /// The first version a registry hands out.
    public static let first = ModelVersion(major: 0, minor: 1, patch: 0)

    /// The version after this one for a new training run.
    public var nextMinor: ModelVersion { ModelVersion(major: major, minor: minor + 1, patch: 0) }

    public var description: String { "v\(major).\(minor).\(patch)" }

    public static func < (lhs: ModelVersion, rhs: ModelVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = ModelVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a version"))
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
