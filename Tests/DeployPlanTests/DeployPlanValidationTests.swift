import Foundation
import FunctionRuntime
import Testing

@testable import DeployPlan

@Suite("deploy plan: what Cloud Run and Cloud Scheduler would refuse is refused first")
struct DeployPlanValidationTests {
    static let base = """
        service: rideease
        functions:
          healthz:
            handler: healthz
            http: GET /healthz
          train:
            handler: train
            http: POST /train
            auth: adminKey
            timeout: 20m
            schedule: {cron: "0 2 * * 0"}
            env: [PIPELINE_GIT_SHA, DATA_SNAPSHOT_ID]
        """

    @Test(arguments: ["PORT", "K_SERVICE", "CLOUD_RUN_JOB"])
    func reservedEnvNamesAreErrorsAtTheirPlace(name: String) throws {
        let text = try DeployPlanSupport.replacing(
            "env: [PIPELINE_GIT_SHA, DATA_SNAPSHOT_ID]", with: "env: [PIPELINE_GIT_SHA, \(name)]", in: Self.base)
        let problems = try DeployPlanSupport.problems(text)
        let place = try DeployPlanSupport.location(of: name, in: text)
        #expect(problems.count == 1, "\(problems)")
        #expect(
            problems.first?.hasPrefix("\(place): function \"train\": env \(name) is reserved") == true, "\(problems)")
    }

    @Test func reservedSecretAndOptionNamesAreErrorsToo() throws {
        let text = try DeployPlanSupport.replacing(
            "auth: adminKey", with: "auth: adminKey\n    secrets: [K_TOKEN]", in: Self.base)
        let problems = try DeployPlanSupport.problems(
            text, target: DeployPlanSupport.target { $0.environment = ["PORT=9000"] })
        let place = try DeployPlanSupport.location(of: "K_TOKEN", in: text)
        #expect(problems.contains { $0.hasPrefix("\(place): function \"train\": secret K_TOKEN is reserved") })
        #expect(problems.contains { $0.hasPrefix("--env PORT is reserved") })
    }

    @Test func aSecretCannotBeGivenAsAValue() throws {
        let problems = try DeployPlanSupport.problems(
            Self.base, target: DeployPlanSupport.target { $0.environment = ["MODEL_ADMIN_API_KEY=not-a-real-key"] })
        #expect(
            problems == ["--env MODEL_ADMIN_API_KEY is a secret in functions.yaml; secrets are never given as values"])
    }

    @Test func scheduledHTTPTimeoutOver30MinutesMustGoToTheCloudRunJob() throws {
        let text = try DeployPlanSupport.replacing("timeout: 20m", with: "timeout: 45m", in: Self.base)
        let problems = try DeployPlanSupport.problems(text)
        let place = try DeployPlanSupport.location(of: "45m", in: text)
        #expect(problems.count == 1, "\(problems)")
        let problem = try #require(problems.first)
        #expect(problem.hasPrefix("\(place): function \"train\": timeout 45m is longer than Cloud Scheduler's 30m"))
        #expect(problem.contains("--scheduled-training job"))
        #expect(
            try DeployPlanSupport.problems(text, target: DeployPlanSupport.target { $0.trainingTrigger = .job }) == [])
    }

    @Test func aLongScheduledFunctionThatIsNotTrainingHasNoJobToGoTo() throws {
        let text = """
            service: rideease
            functions:
              summary:
                handler: experimentSummary
                http: GET /summary
                timeout: 40m
                schedule: {cron: "0 * * * *"}
            """
        let problems = try DeployPlanSupport.problems(
            text, target: DeployPlanSupport.target { $0.trainingTrigger = .job })
        #expect(problems.contains { $0.contains("function \"summary\": timeout 40m") && $0.contains("Cloud Run Job") })
        #expect(problems.contains { $0.hasPrefix("--scheduled-training job needs a function with handler \"train\"") })
    }

    @Test func scheduleWithoutARouteOrWithPathParametersCannotBeCalled() throws {
        let text = """
            service: rideease
            functions:
              nightly:
                handler: train
                schedule: {cron: "0 2 * * *"}
              summary:
                handler: experimentSummary
                http: GET /experiments/{experimentId}/summary
                schedule: {cron: "0 * * * *"}
            """
        let problems = try DeployPlanSupport.problems(text)
        #expect(problems.contains { $0.contains("function \"nightly\": it is scheduled but has no http trigger") })
        #expect(problems.contains { $0.contains("function \"summary\": its route") && $0.contains("path parameters") })
        // The Cloud Run Job needs no route: the scheduler starts it through the Admin API.
        let viaJob = try DeployPlanSupport.problems(
            text, target: DeployPlanSupport.target { $0.trainingTrigger = .job })
        #expect(!viaJob.contains { $0.contains("\"nightly\"") })
    }

    @Test(arguments: [
        ("cpu: \"3\"", "cpu 3 is not one of Cloud Run's sizes"),
        ("cpu: 500m", "cpu 500m is below 1, which Cloud Run allows only with concurrency 1"),
        ("memory: 8Gi", "memory 8Gi needs at least 2 CPUs on Cloud Run, not 1"),
        ("memory: 64Mi", "memory 64Mi is outside Cloud Run's range"),
        ("memory: lots", "memory \"lots\" is not a memory quantity"),
    ])
    func cloudRunLimitsAreCheckedAtTheDeploySection(setting: String, message: String) throws {
        let text = "deploy:\n  \(setting)\n" + Self.base
        let problems = try DeployPlanSupport.problems(text)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix("functions.yaml:2:3: deploy: \(message)") == true, "\(problems)")
    }

    @Test func fractionalCPUIsFineWithConcurrencyOne() throws {
        let text = "deploy:\n  cpu: 500m\n  concurrency: 1\n" + Self.base
        #expect(try DeployPlanSupport.problems(text) == [])
    }

    @Test func targetProblemsAreAllReportedAtOnce() throws {
        let target = DeployPlanSupport.target {
            $0.image = "europe-west1-docker.pkg.dev/rides-prod/rideease/rideease:latest"
            $0.serviceURL = nil
            $0.schedulerServiceAccount = nil
            $0.storage = "./.rideease/data"
        }
        let problems = try DeployPlanSupport.problems(Self.base, target: target)
        #expect(problems.count == 4, "\(problems)")
        #expect(
            problems.contains {
                $0.hasPrefix("--image europe-west1-docker.pkg.dev/rides-prod/rideease/rideease:latest is not pinned")
            })
        #expect(problems.contains { $0.hasPrefix("--service-url is needed for the Cloud Scheduler jobs of \"train\"") })
        #expect(problems.contains { $0.hasPrefix("--scheduler-service-account is needed") })
        #expect(problems.contains { $0.hasPrefix("--storage ./.rideease/data is not a bucket") })
        let pinnedByOption = DeployPlanSupport.target {
            $0.image = "europe-west1-docker.pkg.dev/rides-prod/rideease/rideease:latest"
            $0.imageDigest = DeployPlanSupport.digest
        }
        #expect(try DeployPlanSupport.problems(Self.base, target: pinnedByOption) == [])
    }

    @Test func declaredButUnsetVariablesAreNotedWithTheirPlace() throws {
        let plan = try DeployPlanSupport.planner(Self.base).plan()
        let place = try DeployPlanSupport.location(of: "DATA_SNAPSHOT_ID", in: Self.base)
        #expect(
            plan.notes == [
                "\(place): function \"train\" may read DATA_SNAPSHOT_ID, which the plan leaves unset (pass --env DATA_SNAPSHOT_ID=…)"
            ])
    }
}
