/// The variant a user sees in an experiment, with the hash bucket that chose it (for provenance traces).
public struct VariantAssignment: Codable, Equatable, Hashable, Sendable {
    /// The experiment id.
    public var experimentId: String
    /// The chosen variant's name.
    public var variant: String
    /// The chosen variant's index in the definition.
    public var variantIndex: Int
    /// GrowthBook hash v2 bucket in `[0, 1)`.
    public var bucket: Double

    /// Creates an assignment.
    public init(experimentId: String, variant: String, variantIndex: Int, bucket: Double) {
        self.experimentId = experimentId
        self.variant = variant
        self.variantIndex = variantIndex
        self.bucket = bucket
    }
}

extension ExperimentDefinition {
    /// Assigns `userId` deterministically, as GrowthBook would: hash v2 of `seed + userId`, then the first variant
    /// whose range `[start, end)` contains the bucket. Returns `nil` when the user is outside coverage (or falls
    /// on a zero-weight range), meaning "not in the experiment": serve the default and do not count the user.
    /// An empty id is never in an experiment, as in the SDKs (an empty hash attribute skips the experiment).
    public func assign(userId: String) -> VariantAssignment? {
        guard !userId.isEmpty else { return nil }
        let bucket = GrowthBookHash.bucket(seed: seed, value: userId)
        for (index, range) in bucketRanges.enumerated() where range.start <= bucket && bucket < range.end {
            return VariantAssignment(
                experimentId: id, variant: variants[index].name, variantIndex: index, bucket: bucket)
        }
        return nil
    }
}
