import Foundation
import Functions

/// What `GET /admin/shadow` answers, as the console reads it: the active experiment's shadow (running, the last one
/// ended, or none) and every change to it.
///
/// The function's own answer and audit types are internal to the Functions module (only ``ShadowDeployment`` is
/// public), so the console decodes the same JSON into this mirror.
struct ShadowState: Decodable, Sendable {
    /// One audited change: `start`, `replace` or `end`, by whom, when, and the deployment it wrote.
    struct Change: Decodable, Sendable {
        var action: String
        var actor: String
        var at: Date
        var shadow: ShadowDeployment
        var requestId: String?
    }

    var experimentId: String
    var shadow: ShadowDeployment?
    var audit: [Change]
}
