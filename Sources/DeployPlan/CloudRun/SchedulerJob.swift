/// A Cloud Scheduler job as the REST resource `projects.locations.jobs` (v1) describes it.
struct SchedulerJob: Codable, Equatable {
    /// A request to the service (OIDC token) or to the Cloud Run Admin API (OAuth token).
    struct HTTPTarget: Codable, Equatable {
        var uri: String
        var httpMethod: String
        var headers: [String: String]?
        var oidcToken: OIDCToken?
        var oauthToken: OAuthToken?
    }

    /// Identifies the scheduler to a Cloud Run service: the service checks the token's audience.
    struct OIDCToken: Codable, Equatable {
        var serviceAccountEmail: String
        var audience: String
    }

    /// Authorises a call to a Google API (starting a Cloud Run Job execution).
    struct OAuthToken: Codable, Equatable {
        var serviceAccountEmail: String
        var scope: String
    }

    /// Cloud Scheduler's retry policy, with durations in its `"300s"` form.
    struct RetryConfig: Codable, Equatable {
        var retryCount: Int
        var minBackoffDuration: String
        var maxBackoffDuration: String
    }

    var name: String
    var description: String
    var schedule: String
    var timeZone: String
    var attemptDeadline: String
    var retryConfig: RetryConfig
    var httpTarget: HTTPTarget
}
