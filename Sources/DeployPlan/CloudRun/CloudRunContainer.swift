/// The container part shared by a Cloud Run service and a Cloud Run Job (Cloud Run Admin API v1, Knative-shaped).
struct CloudRunContainer: Codable, Equatable {
    /// A container port; Cloud Run routes requests to the one named `http1`.
    struct Port: Codable, Equatable {
        var name: String
        var containerPort: Int
    }

    /// One environment variable: a literal value or a Secret Manager reference, never both.
    struct EnvironmentVariable: Codable, Equatable {
        var name: String
        var value: String?
        var valueFrom: ValueSource?

        /// A plain value known when the plan is made.
        static func literal(_ name: String, _ value: String) -> EnvironmentVariable {
            EnvironmentVariable(name: name, value: value, valueFrom: nil)
        }

        /// The latest version of the Secret Manager secret `secret`: the plan names it, the value never appears.
        static func secret(_ name: String, secret: String) -> EnvironmentVariable {
            EnvironmentVariable(
                name: name, value: nil,
                valueFrom: ValueSource(secretKeyRef: SecretKeySelector(name: secret, key: "latest")))
        }
    }

    /// Where a variable's value comes from.
    struct ValueSource: Codable, Equatable {
        var secretKeyRef: SecretKeySelector
    }

    /// A Secret Manager secret (`name`) and version (`key`).
    struct SecretKeySelector: Codable, Equatable {
        var name: String
        var key: String
    }

    /// CPU and memory limits in Kubernetes quantity form.
    struct Resources: Codable, Equatable {
        var limits: [String: String]
    }

    /// An HTTP probe Cloud Run sends until the container answers 2xx/3xx.
    struct Probe: Codable, Equatable {
        struct HTTPGet: Codable, Equatable {
            var path: String
            var port: Int
        }

        var httpGet: HTTPGet
        var initialDelaySeconds: Int
        var periodSeconds: Int
        var timeoutSeconds: Int
        var failureThreshold: Int
    }

    var name: String
    var image: String
    var args: [String]
    var ports: [Port]?
    var env: [EnvironmentVariable]
    var resources: Resources
    var startupProbe: Probe?
}
