import FunctionRuntime
import Recommender

/// Turns a validated manifest and a target into a ``DeploymentPlan``; every value comes from one of the two.
package struct DeployPlanner {
    /// The port the container listens on; Cloud Run passes it as `PORT`, which `rideease serve` honours.
    static let containerPort = 8080
    /// The readiness probe: 503 until every variant has a model, so no instance takes traffic without one.
    static let readinessPath = "/healthz?probe=ready"
    /// The scope that lets Cloud Scheduler start a Cloud Run Job execution.
    static let cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

    let manifest: FunctionManifest
    let target: DeployTarget
    let locator: ManifestLocator

    package init(manifest: FunctionManifest, target: DeployTarget, locator: ManifestLocator) {
        self.manifest = manifest
        self.target = target
        self.locator = locator
    }

    /// The plan, or every problem that stops it.
    package func plan() throws(DeployPlanError) -> DeploymentPlan {
        let problems = DeployValidator(manifest: manifest, target: target, locator: locator).problems()
        guard problems.isEmpty else { throw DeployPlanError(problems: problems) }
        let trainFunction = manifest.functions.first { $0.handler == "train" }
        return DeploymentPlan(
            service: service(),
            trainingJob: trainFunction.map(trainingJob),
            schedulerJobs: manifest.functions.compactMap(schedulerJob),
            lifecycle: BucketLifecycle(retention: manifest.retention, storage: target.storage),
            notes: notes()
        )
    }

    private var trainingJobName: String { "\(manifest.service)-train" }

    private func service() -> CloudRunService {
        let settings = manifest.deployment
        let httpTimeouts = manifest.functions.filter { !$0.httpTriggers.isEmpty }.map(\.timeout)
        let timeout = DeployValidator.wholeSeconds(httpTimeouts.max() ?? .seconds(300))
        var args = ["serve", "--no-schedule"]
        if target.seedDemo { args.append("--demo") }
        let container = CloudRunContainer(
            name: manifest.service,
            image: target.image,
            args: args,
            ports: [CloudRunContainer.Port(name: "http1", containerPort: Self.containerPort)],
            env: environment(),
            resources: resources(),
            startupProbe: CloudRunContainer.Probe(
                httpGet: .init(path: Self.readinessPath, port: Self.containerPort),
                initialDelaySeconds: 0,
                periodSeconds: 5,
                timeoutSeconds: 3,
                // 48 x 5 s = 240 s, Cloud Run's longest startup window: loading a large model takes a while.
                failureThreshold: 48
            )
        )
        return CloudRunService(
            metadata: .init(
                name: manifest.service,
                labels: ["cloud.googleapis.com/location": target.region],
                annotations: ["run.googleapis.com/ingress": "all"]
            ),
            spec: .init(
                template: .init(
                    metadata: .init(
                        annotations: [
                            "autoscaling.knative.dev/minScale": String(settings.minInstances),
                            "autoscaling.knative.dev/maxScale": String(settings.maxInstances),
                            "run.googleapis.com/startup-cpu-boost": "true",
                        ]
                    ),
                    spec: .init(
                        containerConcurrency: settings.concurrency,
                        timeoutSeconds: timeout,
                        serviceAccountName: target.serviceAccount,
                        containers: [container]
                    )
                )
            )
        )
    }

    private func trainingJob(_ function: FunctionDeclaration) -> CloudRunJob {
        let timeoutSeconds =
            target.trainingRides.map { TrainingJobSizing.training(rides: $0).timeoutSeconds }
            ?? DeployValidator.wholeSeconds(function.timeout)
        // `rideease train` holds the run to the function's timeout; a job sized longer from the data passes its own.
        let args =
            timeoutSeconds == DeployValidator.wholeSeconds(function.timeout)
            ? ["train"] : ["train", "--timeout", "\(timeoutSeconds)s"]
        let container = CloudRunContainer(
            name: trainingJobName,
            image: target.image,
            args: args,
            ports: nil,
            // `rideease train` reads no admin key: the job does not get one.
            env: environment().filter { $0.name != manifest.adminKeySecret },
            resources: trainingResources(),
            startupProbe: nil
        )
        return CloudRunJob(
            metadata: .init(
                name: trainingJobName,
                labels: ["cloud.googleapis.com/location": target.region],
                annotations: nil
            ),
            spec: .init(
                template: .init(
                    spec: .init(
                        taskCount: 1,
                        parallelism: 1,
                        template: .init(
                            spec: .init(
                                maxRetries: function.schedule?.retry.retryCount ?? 0,
                                timeoutSeconds: timeoutSeconds,
                                serviceAccountName: target.serviceAccount,
                                containers: [container]
                            )
                        )
                    )
                )
            )
        )
    }

    private func schedulerJob(_ function: FunctionDeclaration) -> SchedulerJob? {
        guard let schedule = function.schedule, let account = target.schedulerServiceAccount else { return nil }
        let retry = SchedulerJob.RetryConfig(
            retryCount: schedule.retry.retryCount,
            minBackoffDuration: "\(DeployValidator.wholeSeconds(schedule.retry.minBackoff))s",
            maxBackoffDuration: "\(DeployValidator.wholeSeconds(schedule.retry.maxBackoff))s"
        )
        let name = "projects/\(target.project)/locations/\(target.region)/jobs/\(manifest.service)-\(function.name)"
        let httpTarget: SchedulerJob.HTTPTarget
        let deadline: Int
        if function.handler == "train", target.trainingTrigger == .job {
            httpTarget = SchedulerJob.HTTPTarget(
                uri: "https://run.googleapis.com/v2/projects/\(target.project)/locations/\(target.region)"
                    + "/jobs/\(trainingJobName):run",
                httpMethod: "POST",
                headers: nil,
                oidcToken: nil,
                oauthToken: .init(serviceAccountEmail: account, scope: Self.cloudPlatformScope)
            )
            // Starting an execution returns at once; the task's own timeout bounds the training.
            deadline = CloudRunLimits.schedulerDeadlineSeconds.lowerBound * 4
        } else {
            guard let trigger = function.httpTriggers.first, let url = target.serviceURL else { return nil }
            var headers = ["Content-Type": "application/json", "User-Agent": "Google-Cloud-Scheduler"]
            if function.auth == .adminKey {
                // A placeholder naming the secret: it is filled in from Secret Manager when the job is created,
                // so the plan (and the repository) never holds the key.
                headers["x-api-key"] = "${\(manifest.adminKeySecret)}"
            }
            httpTarget = SchedulerJob.HTTPTarget(
                uri: url.trimmingSuffix("/") + trigger.path.description,
                httpMethod: trigger.method,
                headers: headers,
                oidcToken: .init(serviceAccountEmail: account, audience: url.trimmingSuffix("/")),
                oauthToken: nil
            )
            deadline = max(
                CloudRunLimits.schedulerDeadlineSeconds.lowerBound, DeployValidator.wholeSeconds(function.timeout))
        }
        return SchedulerJob(
            name: name,
            description: function.description,
            schedule: schedule.expression,
            timeZone: schedule.timeZoneName,
            attemptDeadline: "\(deadline)s",
            retryConfig: retry,
            httpTarget: httpTarget
        )
    }

    private func resources() -> CloudRunContainer.Resources {
        .init(limits: ["cpu": manifest.deployment.cpu, "memory": manifest.deployment.memory])
    }

    /// The service's limits, or, given the data size, ``TrainingJobSizing``'s (training needs far more memory
    /// than serving at city scale).
    private func trainingResources() -> CloudRunContainer.Resources {
        guard let rides = target.trainingRides else { return resources() }
        let sized = TrainingJobSizing.training(rides: rides)
        return .init(limits: ["cpu": sized.cpu, "memory": sized.memory])
    }

    /// The container's variables: values the plan knows, then every secret as a Secret Manager reference.
    private func environment() -> [CloudRunContainer.EnvironmentVariable] {
        var values: [(String, String)] = [("LOG_FORMAT", "json"), ("RIDEEASE_STORAGE", target.storage)]
        if let digest = target.resolvedDigest { values.append(("CONTAINER_IMAGE_DIGEST", digest)) }
        if let sha = target.gitSHA { values.append(("PIPELINE_GIT_SHA", sha)) }
        for assignment in target.environment {
            let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { values.append((String(parts[0]), String(parts[1]))) }
        }
        var seen = Set<String>()
        var variables: [CloudRunContainer.EnvironmentVariable] = []
        // A later value for the same name wins, as it would in a shell: --env may override the derived ones.
        for (name, value) in values.reversed() where seen.insert(name).inserted {
            variables.insert(.literal(name, value), at: 0)
        }
        for name in secretNames() where seen.insert(name).inserted {
            variables.append(.secret(name, secret: name))
        }
        return variables
    }

    private func secretNames() -> [String] {
        var names = [manifest.adminKeySecret]
        if manifest.functions.contains(where: { $0.auth == .viewerKey }) { names.append(manifest.viewerKeySecret) }
        if target.usesObjectStorage { names += ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] }
        names += manifest.functions.flatMap(\.secrets)
        return names
    }

    private func notes() -> [String] {
        let provided = Set(environment().map(\.name))
        // One note per variable, at its first declaration: the serving functions declare the same ones.
        var readers: [(name: String, functions: [String])] = []
        for function in manifest.functions {
            for name in function.environment where !provided.contains(name) {
                if let index = readers.firstIndex(where: { $0.name == name }) {
                    readers[index].functions.append(function.name)
                } else {
                    readers.append((name, [function.name]))
                }
            }
        }
        let notes = readers.map { name, functions in
            let who =
                functions.count == 1
                ? "function \"\(functions[0])\"" : "functions " + functions.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(locator.location(["functions", functions[0], "env"], item: name)): \(who) may read \(name), "
                + "which the plan leaves unset (pass --env \(name)=…)"
        }
        return notes + scaleNotes() + retentionNotes()
    }

    /// Retention without a scheduled compaction is only the buckets' approximation (ages from creation).
    private func retentionNotes() -> [String] {
        let policy = manifest.retention
        guard policy != RetentionPolicy(),
            !manifest.functions.contains(where: { $0.handler == "compactSegments" && $0.schedule != nil })
        else { return [] }
        return [
            "\(locator.location(["retention"])): retention is enforced only by the bucket's lifecycle rules (ages from "
                + "creation): schedule a function with handler \"compactSegments\" to enforce it by write date"
        ]
    }

    /// Warnings that depend on the data's size: a service too small for a hot-swap, or city-sized training
    /// scheduled through `POST /train` (which the service refuses above its bound).
    private func scaleNotes() -> [String] {
        var notes: [String] = []
        if let bytes = target.modelBytes, let memory = CloudRunLimits.memoryMiB(manifest.deployment.memory) {
            let needed = TrainingJobSizing.servingMiBForTwoModels(artifactBytes: bytes)
            if Double(needed) > memory {
                notes.append(
                    "warning: serving memory \(manifest.deployment.memory) cannot hold two models of \(bytes) bytes "
                        + "during a hot-swap (needs about \(needed)Mi); raise deploy.memory in functions.yaml")
            }
        }
        if let rides = target.trainingRides, rides > TrainingSizeBound.defaultMaxEventBytes / 100,
            target.trainingTrigger == .http, manifest.functions.contains(where: { $0.handler == "train" })
        {
            notes.append(
                "warning: \(rides) rides is city-sized training; the service refuses POST /train above its bound, "
                    + "so schedule it as the Cloud Run Job (--scheduled-training job)")
        }
        return notes
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
