import Foundation
import FunctionRuntime
import Testing
import Yams

@testable import DeployPlan

@Suite("deploy plan: the Cloud Run service and the training job")
struct DeployPlanServiceTests {
    @Test func serviceFromTheRepositoryManifestHasEveryRequiredField() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let manifest = try DeployPlanSupport.planner(text).manifest
        let service = try #require(try DeployPlanSupport.documents(text)["service.yaml"])
        #expect(yamlValue(service, "apiVersion") as? String == "serving.knative.dev/v1")
        #expect(yamlValue(service, "kind") as? String == "Service")
        #expect(yamlValue(service, "metadata", "name") as? String == manifest.service)
        #expect(yamlValue(service, "metadata", "labels", "cloud.googleapis.com/location") as? String == "europe-west1")
        let template = yamlValue(service, "spec", "template")
        #expect(
            yamlValue(template, "metadata", "annotations", "autoscaling.knative.dev/maxScale") as? String
                == String(manifest.deployment.maxInstances))
        #expect(
            yamlValue(template, "metadata", "annotations", "autoscaling.knative.dev/minScale") as? String
                == String(manifest.deployment.minInstances))
        #expect(yamlValue(template, "spec", "containerConcurrency") as? Int == manifest.deployment.concurrency)
        let longestHTTPTimeout = try #require(
            manifest.functions.filter { !$0.httpTriggers.isEmpty }.map(\.timeout).max())
        #expect(yamlValue(template, "spec", "timeoutSeconds") as? Int == Int(longestHTTPTimeout.components.seconds))
        let container = yamlValue(template, "spec", "containers", 0)
        #expect(yamlValue(container, "image") as? String == DeployPlanSupport.target().image)
        #expect(yamlValue(container, "args") as? [String] == ["serve", "--no-schedule"])
        #expect(yamlValue(container, "ports", 0, "containerPort") as? Int == 8080)
        #expect(yamlValue(container, "ports", 0, "name") as? String == "http1")
        #expect(yamlValue(container, "resources", "limits", "cpu") as? String == manifest.deployment.cpu)
        #expect(yamlValue(container, "resources", "limits", "memory") as? String == manifest.deployment.memory)
        #expect(yamlValue(container, "startupProbe", "httpGet", "path") as? String == "/healthz?probe=ready")
        #expect(yamlValue(container, "startupProbe", "httpGet", "port") as? Int == 8080)
    }

    @Test func environmentCarriesLineageAndSecretsOnlyByName() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let manifest = try DeployPlanSupport.planner(text).manifest
        let service = try #require(try DeployPlanSupport.documents(text)["service.yaml"])
        let env = try #require(
            yamlValue(service, "spec", "template", "spec", "containers", 0, "env") as? [[String: Any]])
        let byName = Dictionary(env.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName.count == env.count, "each name once: \(env)")
        #expect(byName["CONTAINER_IMAGE_DIGEST"]?["value"] as? String == DeployPlanSupport.digest)
        #expect(byName["RIDEEASE_STORAGE"]?["value"] as? String == DeployPlanSupport.target().storage)
        #expect(byName["PIPELINE_GIT_SHA"]?["value"] as? String == DeployPlanSupport.target().gitSHA)
        #expect(byName["LOG_FORMAT"]?["value"] as? String == "json")
        for secret in [manifest.adminKeySecret, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
            let entry = try #require(byName[secret], "\(secret) is referenced")
            #expect(entry["value"] == nil, "\(secret) has no value in the plan")
            #expect(yamlValue(entry, "valueFrom", "secretKeyRef", "name") as? String == secret)
            #expect(yamlValue(entry, "valueFrom", "secretKeyRef", "key") as? String == "latest")
        }
        #expect(byName["PORT"] == nil && !byName.keys.contains { $0.hasPrefix("K_") })
    }

    @Test func limitsAndTimeoutsFollowTheManifest() throws {
        var text = try DeployPlanSupport.repositoryManifest
        text = try DeployPlanSupport.replacing("memory: 1Gi", with: "memory: 6Gi", in: text)
        text = try DeployPlanSupport.replacing("cpu: \"1\"", with: "cpu: \"2\"", in: text)
        text = try DeployPlanSupport.replacing("concurrency: 80", with: "concurrency: 17", in: text)
        text = try DeployPlanSupport.replacing("maxInstances: 10", with: "maxInstances: 3", in: text)
        text = try DeployPlanSupport.replacing("timeout: 30m", with: "timeout: 25m", in: text)
        // The service's timeout is its longest HTTP function's: compact's (30 minutes, written in seconds) too.
        text = try DeployPlanSupport.replacing("timeout: 1800s", with: "timeout: 25m", in: text)
        let documents = try DeployPlanSupport.documents(text)
        let template = yamlValue(documents["service.yaml"], "spec", "template")
        #expect(yamlValue(template, "spec", "containerConcurrency") as? Int == 17)
        #expect(yamlValue(template, "spec", "timeoutSeconds") as? Int == 25 * 60)
        #expect(yamlValue(template, "metadata", "annotations", "autoscaling.knative.dev/maxScale") as? String == "3")
        #expect(yamlValue(template, "spec", "containers", 0, "resources", "limits", "memory") as? String == "6Gi")
        #expect(yamlValue(template, "spec", "containers", 0, "resources", "limits", "cpu") as? String == "2")
        let task = yamlValue(documents["job-train.yaml"], "spec", "template", "spec", "template", "spec")
        #expect(yamlValue(task, "timeoutSeconds") as? Int == 25 * 60)
    }

    @Test func trainingJobRunsTheTrainCommandInTheSameImage() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let manifest = try DeployPlanSupport.planner(text).manifest
        let job = try #require(try DeployPlanSupport.documents(text)["job-train.yaml"])
        let train = try #require(manifest.functions.first { $0.handler == "train" })
        #expect(yamlValue(job, "apiVersion") as? String == "run.googleapis.com/v1")
        #expect(yamlValue(job, "kind") as? String == "Job")
        #expect(yamlValue(job, "metadata", "name") as? String == "\(manifest.service)-train")
        let execution = yamlValue(job, "spec", "template", "spec")
        #expect(yamlValue(execution, "taskCount") as? Int == 1)
        let task = yamlValue(execution, "template", "spec")
        #expect(yamlValue(task, "timeoutSeconds") as? Int == Int(train.timeout.components.seconds))
        #expect(yamlValue(task, "maxRetries") as? Int == train.schedule?.retry.retryCount)
        #expect(yamlValue(task, "containers", 0, "image") as? String == DeployPlanSupport.target().image)
        #expect(yamlValue(task, "containers", 0, "args") as? [String] == ["train"])
        let env = try #require(yamlValue(task, "containers", 0, "env") as? [[String: Any]])
        let names = env.compactMap { $0["name"] as? String }
        #expect(names.contains("CONTAINER_IMAGE_DIGEST") && names.contains("AWS_SECRET_ACCESS_KEY"))
        #expect(!names.contains(manifest.adminKeySecret), "training reads no admin key")
    }

    @Test func aManifestWithoutATrainHandlerHasNoTrainingJob() throws {
        let text = """
            service: tiny
            functions:
              healthz:
                handler: healthz
                http: GET /healthz
            """
        let documents = try DeployPlanSupport.documents(text)
        #expect(documents["job-train.yaml"] == nil)
        #expect(yamlValue(documents["service.yaml"], "metadata", "name") as? String == "tiny")
    }

    @Test func theSameManifestGivesTheSameBytes() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let first = try DeployPlanSupport.planner(text).plan().yamlStream()
        let second = try DeployPlanSupport.planner(text).plan().yamlStream()
        #expect(first == second)
    }

    @Test func yamlStreamParsesAsOneDocumentPerResource() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let plan = try DeployPlanSupport.planner(text).plan()
        let stream = try plan.yamlStream()
        let kinds = try Yams.load_all(yaml: stream).map { document -> String in
            if yamlValue(document, "lifecycle") != nil { return "gcs-lifecycle" }
            if yamlValue(document, "Rules") != nil { return "s3-lifecycle" }
            return yamlValue(document, "kind") as? String ?? "scheduler"
        }
        #expect(
            kinds == ["Service", "Job"] + plan.schedulerJobs.map { _ in "scheduler" } + [
                "gcs-lifecycle", "s3-lifecycle",
            ])
    }
}
