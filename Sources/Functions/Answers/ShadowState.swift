import Foundation

/// What `GET /admin/shadow` answers: the active experiment's shadow (running, the last one ended, or `null` when it
/// never had one) and every change to it, oldest first.
public struct ShadowState: Codable, Sendable, Equatable {
    public var experimentId: String
    public var shadow: ShadowDeployment?
    public var audit: [ShadowAudit]

    init(experimentId: String, shadow: ShadowDeployment?, audit: [ShadowAudit]) {
        self.experimentId = experimentId
        self.shadow = shadow
        self.audit = audit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(experimentId, forKey: .experimentId)
        try container.encode(shadow, forKey: .shadow)  // null, not absent, when there is none
        try container.encode(audit, forKey: .audit)
    }
}

/// One audited shadow change (`audit/shadow/<experimentId>/…`): `start`, `replace` or `end`, who, when, and the
/// shadow deployment written.
public struct ShadowAudit: Codable, Sendable, Equatable {
    public var action: String
    public var actor: String
    public var at: Date
    public var shadow: ShadowDeployment
    public var requestId: String?
}
