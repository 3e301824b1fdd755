import Recommender

/// What `POST /admin/switch-model` and `POST /admin/rollback` answer: the deployment generation they made and the
/// versions each variant served before and serves now.
public struct DeploymentChange: Codable, Sendable, Equatable {
    public var experimentId: String
    public var generation: Int
    public var previous: [String: ModelVersion]
    public var current: [String: ModelVersion]
}
