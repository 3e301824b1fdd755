import FunctionRuntime

/// Checks a manifest and a target against what Cloud Run and Cloud Scheduler accept, reporting every problem at
/// once, each naming the function and, where the manifest spells the value out, its `file:line:col`.
struct DeployValidator {
    let manifest: FunctionManifest
    let target: DeployTarget
    let locator: ManifestLocator

    /// Every problem, in manifest order then option order; empty when the plan can be made.
    func problems() -> [String] {
        environmentProblems() + limitProblems() + scheduleProblems() + targetProblems() + retentionProblems()
    }

    /// Lifecycle rules must fit the buckets' limits: S3 and Cloud Storage take prefixes up to 1024 bytes.
    private func retentionProblems() -> [String] {
        BucketLifecycle(retention: manifest.retention, storage: target.storage).rules
            .filter { $0.prefix.utf8.count > 1024 }
            .map { "\(locator.location(["retention", $0.kind])): the lifecycle prefix \($0.prefix) exceeds 1024 bytes" }
    }

    private func environmentProblems() -> [String] {
        var problems: [String] = []
        var secretOwners: [String: String] = [:]
        for function in manifest.functions {
            for name in function.environment where CloudRunLimits.isReservedEnvironmentName(name) {
                problems.append(
                    "\(locator.location(["functions", function.name, "env"], item: name)): function \"\(function.name)\": "
                        + "env \(name) is reserved by Cloud Run (PORT, K_*, CLOUD_RUN_*); choose another name")
            }
            for name in function.secrets {
                secretOwners[name] = secretOwners[name] ?? function.name
                if CloudRunLimits.isReservedEnvironmentName(name) {
                    problems.append(
                        "\(locator.location(["functions", function.name, "secrets"], item: name)): "
                            + "function \"\(function.name)\": secret \(name) is reserved by Cloud Run "
                            + "(PORT, K_*, CLOUD_RUN_*); choose another name")
                }
            }
        }
        if CloudRunLimits.isReservedEnvironmentName(manifest.adminKeySecret) {
            problems.append(
                "\(locator.location(["adminKeySecret"])): adminKeySecret \(manifest.adminKeySecret) is reserved by "
                    + "Cloud Run (PORT, K_*, CLOUD_RUN_*); choose another name")
        }
        for function in manifest.functions {
            for name in function.environment {
                if let owner = secretOwners[name] {
                    problems.append(
                        "\(locator.location(["functions", function.name, "env"], item: name)): function "
                            + "\"\(function.name)\": \(name) is a plain env var here but a secret of \"\(owner)\"; "
                            + "one container cannot have both")
                } else if name == manifest.adminKeySecret {
                    problems.append(
                        "\(locator.location(["functions", function.name, "env"], item: name)): function "
                            + "\"\(function.name)\": \(name) is the admin key secret; list it under secrets, not env")
                }
            }
        }
        for assignment in target.environment {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                problems.append("--env \"\(assignment)\" must look like NAME=VALUE")
                continue
            }
            let name = String(parts[0])
            if CloudRunLimits.isReservedEnvironmentName(name) {
                problems.append("--env \(name) is reserved by Cloud Run (PORT, K_*, CLOUD_RUN_*)")
            } else if secretOwners[name] != nil || name == manifest.adminKeySecret || name == manifest.viewerKeySecret {
                problems.append("--env \(name) is a secret in \(locator.file); secrets are never given as values")
            } else if name == "LOG_RIDER_IDS" {
                problems.append("--env LOG_RIDER_IDS: riders' ids are never logged on Cloud Run; it is for a laptop")
            }
        }
        return problems
    }

    private func limitProblems() -> [String] {
        let settings = manifest.deployment
        let problems = CloudRunLimits.problems(
            cpu: settings.cpu, memory: settings.memory, concurrency: settings.concurrency)
        return problems.map { "\(locator.location(["deploy"])): deploy: \($0)" }
    }

    private func scheduleProblems() -> [String] {
        var problems: [String] = []
        for function in manifest.functions {
            guard function.schedule != nil else { continue }
            let place = locator.location(["functions", function.name, "schedule"])
            if function.handler == "train", target.trainingTrigger == .job { continue }
            guard let trigger = function.httpTriggers.first else {
                problems.append(
                    "\(place): function \"\(function.name)\": it is scheduled but has no http trigger; "
                        + "Cloud Scheduler can only call a Cloud Run service over HTTP")
                continue
            }
            if !trigger.path.parameterNames.isEmpty {
                problems.append(
                    "\(place): function \"\(function.name)\": its route \(trigger) has path parameters, which a "
                        + "Cloud Scheduler job cannot fill in")
            }
            let seconds = Self.wholeSeconds(function.timeout)
            if seconds > CloudRunLimits.schedulerDeadlineSeconds.upperBound {
                let timeoutPlace = locator.location(["functions", function.name, "timeout"])
                let remedy =
                    function.handler == "train"
                    ? "run it as the Cloud Run Job instead (rideease deploy plan --scheduled-training job)"
                    : "shorten it, or move the work to a Cloud Run Job"
                problems.append(
                    "\(timeoutPlace): function \"\(function.name)\": timeout \(function.timeout.manifestText) is "
                        + "longer than Cloud Scheduler's 30m attempt deadline for HTTP targets; longer jobs must go "
                        + "to a Cloud Run Job: \(remedy)")
            }
        }
        return problems
    }

    private func targetProblems() -> [String] {
        var problems: [String] = []
        if target.resolvedDigest == nil {
            problems.append(
                "--image \(target.image) is not pinned by digest; pass …@sha256:<digest> or --image-digest, so the "
                    + "models trained by this deployment record the image that trained them")
        } else if let digest = target.resolvedDigest, !Self.isDigest(digest) {
            problems.append("image digest \"\(digest)\" must look like sha256:<64 hex digits>")
        }
        let scheduled = manifest.functions.filter { $0.schedule != nil }
        let overHTTP = scheduled.filter { !($0.handler == "train" && target.trainingTrigger == .job) }
        if !overHTTP.isEmpty, target.serviceURL == nil {
            problems.append(
                "--service-url is needed for the Cloud Scheduler jobs of "
                    + overHTTP.map { "\"\($0.name)\"" }.joined(separator: ", ")
                    + " (gcloud run services describe \(manifest.service) --format='value(status.url)')")
        }
        if let url = target.serviceURL, !url.hasPrefix("https://") {
            problems.append(
                "--service-url \(url) must be an https:// URL (Cloud Scheduler sends OIDC tokens only over TLS)")
        }
        if !scheduled.isEmpty, target.schedulerServiceAccount == nil {
            problems.append(
                "--scheduler-service-account is needed: Cloud Scheduler signs its requests as that identity")
        }
        if target.trainingTrigger == .job, !manifest.functions.contains(where: { $0.handler == "train" }) {
            problems.append("--scheduled-training job needs a function with handler \"train\" in \(locator.file)")
        }
        if !target.usesObjectStorage {
            problems.append(
                "--storage \(target.storage) is not a bucket (gs://… or s3://…); a Cloud Run instance's disk is "
                    + "memory and is lost when it stops")
        }
        return problems
    }

    /// Seconds, rounded up: a deadline must never be shorter than the manifest's timeout.
    static func wholeSeconds(_ duration: Duration) -> Int {
        let components = duration.components
        return Int(components.seconds) + (components.attoseconds > 0 ? 1 : 0)
    }

    private static func isDigest(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst("sha256:".count)
        return hex.count == 64 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
