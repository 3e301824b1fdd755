/// Everything that can go wrong in the recommender core, each with a message a person can act on.
public enum RecommenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An interaction failed validation; `index` is its position in the input.
    case invalidInteraction(index: Int, reason: String)
    /// An id was not in a fixed id table (e.g. an item outside the training catalog).
    case unknownId(kind: String, id: String)
    /// A hyperparameter is missing or out of range.
    case invalidConfiguration(String)
    /// There is nothing to train or evaluate on.
    case insufficientData(String)
    /// A model artifact could not be read.
    case artifact(ArtifactError)

    public var description: String {
        switch self {
        case .invalidInteraction(let index, let reason): "interaction \(index): \(reason)"
        case .unknownId(let kind, let id): "unknown \(kind) id \"\(id)\""
        case .invalidConfiguration(let message): "invalid configuration: \(message)"
        case .insufficientData(let message): "insufficient data: \(message)"
        case .artifact(let error): error.description
        }
    }
}

/// Why a `model.bin` artifact was rejected; never a crash, always one of these.
public enum ArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes do not start with the RideEase model magic.
    case notAModel
    /// The artifact was written by a newer (or unknown) format version.
    case unsupportedVersion(UInt16)
    /// Fewer bytes than the header declares: the file was cut short.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The SHA-256 trailer does not match the content: the file was altered.
    case checksumMismatch(expected: String, actual: String)
    /// The checksum matched but a section is inconsistent (a writer bug or a forged file).
    case malformed(String)

    public var description: String {
        switch self {
        case .notAModel:
            "model artifact: not a RideEase model (bad magic)"
        case .unsupportedVersion(let version):
            "model artifact: unsupported format version \(version) (this build reads version 1)"
        case .truncated(let expected, let actual):
            "model artifact: truncated, expected \(expected) bytes but got \(actual)"
        case .checksumMismatch(let expected, let actual):
            "model artifact: checksum mismatch (recorded sha256 \(expected), content sha256 \(actual)); corrupted"
        case .malformed(let message):
            "model artifact: malformed: \(message)"
        }
    }
}
