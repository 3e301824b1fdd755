/// A Cloud Run service in the Knative `serving.knative.dev/v1` form `gcloud run services replace` reads.
struct CloudRunService: Codable, Equatable {
    /// Name, labels and annotations of the service or of its revision template.
    struct Metadata: Codable, Equatable {
        var name: String?
        var labels: [String: String]?
        var annotations: [String: String]?
    }

    struct Spec: Codable, Equatable {
        var template: RevisionTemplate
    }

    struct RevisionTemplate: Codable, Equatable {
        var metadata: Metadata
        var spec: RevisionSpec
    }

    /// How each revision runs: requests per instance, request timeout, identity and the one container.
    struct RevisionSpec: Codable, Equatable {
        var containerConcurrency: Int
        var timeoutSeconds: Int
        var serviceAccountName: String?
        var containers: [CloudRunContainer]
    }

    var apiVersion = "serving.knative.dev/v1"
    var kind = "Service"
    var metadata: Metadata
    var spec: Spec
}
