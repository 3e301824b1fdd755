import Foundation
import FunctionRuntime
import Testing

@testable import DeployPlan

@Suite("deploy plan: training job sized from the data, serving memory for a hot-swap")
struct DeployPlanScaleTests {
    static let tenMillion = 10_000_000

    @Test func cityScaleTrainingRunsAsASizedJobStartedByTheScheduler() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let documents = try DeployPlanSupport.documents(
            text,
            target: DeployPlanSupport.target {
                $0.trainingTrigger = .job
                $0.trainingRides = Self.tenMillion
            })
        let sized = TrainingJobSizing.training(rides: Self.tenMillion)
        let task = yamlValue(documents["job-train.yaml"], "spec", "template", "spec", "template", "spec")
        let limits = yamlValue(task, "containers", 0, "resources", "limits")
        #expect(yamlValue(limits, "memory") as? String == sized.memory)
        #expect(yamlValue(limits, "cpu").map { "\($0)" } == sized.cpu)
        #expect(yamlValue(task, "timeoutSeconds") as? Int == sized.timeoutSeconds)
        // The job's own timeout is longer than the manifest's 30m: `rideease train` is told, or it would stop first.
        #expect(sized.timeoutSeconds > 1800)
        #expect(
            yamlValue(task, "containers", 0, "args") as? [String] == ["train", "--timeout", "\(sized.timeoutSeconds)s"])
        // The service keeps the manifest's serving size: training memory never lands on it.
        let service = yamlValue(documents["service.yaml"], "spec", "template", "spec", "containers", 0)
        #expect(yamlValue(service, "resources", "limits", "memory") as? String == "1Gi")
        let scheduler = try #require(documents["scheduler-rideease-train.yaml"])
        let uri = try #require(yamlValue(scheduler, "httpTarget", "uri") as? String)
        #expect(
            uri == "https://run.googleapis.com/v2/projects/rides-prod/locations/europe-west1/jobs/rideease-train:run")
        #expect(!uri.contains(DeployPlanSupport.serviceURL), "the scheduler starts the job, not the service")
        #expect(yamlValue(scheduler, "httpTarget", "oauthToken", "serviceAccountEmail") as? String != nil)
    }

    @Test(arguments: [10_000, 1_000_000, 10_000_000, 100_000_000])
    func sizingFollowsTheRuleAndCloudRunsLimits(rides: Int) throws {
        let sized = TrainingJobSizing.training(rides: rides)
        let memory = try #require(CloudRunLimits.memoryMiB(sized.memory))
        let cpus = try #require(CloudRunLimits.cpus(sized.cpu))
        let needed = Double(TrainingJobSizing.baseMiB) + Double(rides * TrainingJobSizing.bytesPerRide) / 1_048_576
        #expect(memory >= min(needed, 32768), "memory covers the measured peak")
        #expect(CloudRunLimits.problems(cpu: sized.cpu, memory: sized.memory, concurrency: 1).isEmpty)
        #expect(cpus >= 2, "the fit uses every core: never a single-CPU job")
        #expect((600...CloudRunLimits.jobTaskTimeoutSeconds).contains(sized.timeoutSeconds))
    }

    @Test func aServiceTooSmallForTwoModelsIsWarned() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let big = try DeployPlanSupport.planner(text, target: DeployPlanSupport.target { $0.modelBytes = 400 << 20 })
            .plan()
        let warning = try #require(big.notes.first { $0.contains("cannot hold two models") })
        #expect(warning.contains("1Gi") && warning.contains("deploy.memory"))
        let small = try DeployPlanSupport.planner(text, target: DeployPlanSupport.target { $0.modelBytes = 20 << 20 })
            .plan()
        #expect(!small.notes.contains { $0.contains("cannot hold two models") })
    }

    @Test func cityScaleTrainingOverHTTPIsWarned() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let http = try DeployPlanSupport.planner(
            text, target: DeployPlanSupport.target { $0.trainingRides = Self.tenMillion }
        ).plan()
        #expect(http.notes.contains { $0.contains("--scheduled-training job") })
        let job = try DeployPlanSupport.planner(
            text,
            target: DeployPlanSupport.target {
                $0.trainingRides = Self.tenMillion
                $0.trainingTrigger = .job
            }
        ).plan()
        #expect(!job.notes.contains { $0.contains("--scheduled-training job") })
    }
}
