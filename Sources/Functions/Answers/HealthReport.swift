import Foundation

/// What `GET /healthz` answers: liveness, uptime, and which model each variant serves (readiness).
public struct HealthReport: Codable, Sendable, Equatable {
    public var status: String
    public var ready: Bool
    public var uptimeSeconds: Double
    public var startedAt: Date
    public var experimentId: String
    public var deploymentGeneration: Int
    public var models: [String: String]
}
