import Foundation
import FunctionRuntime
import Testing

@testable import DeployPlan

@Suite("deploy plan: Cloud Scheduler jobs")
struct DeployPlanScheduleTests {
    @Test func scheduledTrainingCallsTheServiceWithAnOIDCToken() throws {
        let text = try DeployPlanSupport.repositoryManifest
        let manifest = try DeployPlanSupport.planner(text).manifest
        let train = try #require(manifest.functions.first { $0.name == "train" })
        let schedule = try #require(train.schedule)
        let job = try #require(try DeployPlanSupport.documents(text)["scheduler-rideease-train.yaml"])
        #expect(yamlValue(job, "name") as? String == "projects/rides-prod/locations/europe-west1/jobs/rideease-train")
        #expect(yamlValue(job, "schedule") as? String == schedule.expression)
        #expect(yamlValue(job, "timeZone") as? String == schedule.timeZoneName)
        #expect(yamlValue(job, "attemptDeadline") as? String == "\(train.timeout.components.seconds)s")
        #expect(yamlValue(job, "retryConfig", "retryCount") as? Int == schedule.retry.retryCount)
        #expect(
            yamlValue(job, "retryConfig", "minBackoffDuration") as? String
                == "\(schedule.retry.minBackoff.components.seconds)s")
        let target = yamlValue(job, "httpTarget")
        let route = try #require(train.httpTriggers.first)
        #expect(yamlValue(target, "uri") as? String == DeployPlanSupport.serviceURL + route.path.description)
        #expect(yamlValue(target, "httpMethod") as? String == route.method)
        #expect(yamlValue(target, "oidcToken", "audience") as? String == DeployPlanSupport.serviceURL)
        #expect(
            yamlValue(target, "oidcToken", "serviceAccountEmail") as? String
                == DeployPlanSupport.target().schedulerServiceAccount)
        #expect(yamlValue(target, "headers", "x-api-key") as? String == "${\(manifest.adminKeySecret)}")
    }

    @Test func scheduleTimeZoneAndRetryFollowTheManifest() throws {
        var text = try DeployPlanSupport.repositoryManifest
        text = try DeployPlanSupport.replacing("cron: \"0 2 * * 0\"", with: "cron: \"15 3 * * 1-5\"", in: text)
        text = try DeployPlanSupport.replacing(
            "cron: \"15 3 * * 1-5\"\n      timeZone: UTC",
            with: "cron: \"15 3 * * 1-5\"\n      timeZone: Europe/Berlin",
            in: text)
        text = try DeployPlanSupport.replacing("count: 1", with: "count: 4", in: text)
        text = try DeployPlanSupport.replacing("timeout: 30m", with: "timeout: 12m", in: text)
        let job = try #require(try DeployPlanSupport.documents(text)["scheduler-rideease-train.yaml"])
        #expect(yamlValue(job, "schedule") as? String == "15 3 * * 1-5")
        #expect(yamlValue(job, "timeZone") as? String == "Europe/Berlin")
        #expect(yamlValue(job, "retryConfig", "retryCount") as? Int == 4)
        #expect(yamlValue(job, "attemptDeadline") as? String == "720s")
    }

    @Test func aShortTimeoutGetsCloudSchedulersMinimumDeadline() throws {
        let text = """
            service: tiny
            functions:
              ping:
                handler: healthz
                http: GET /healthz
                timeout: 2s
                schedule: {cron: "*/5 * * * *"}
            """
        let job = try #require(try DeployPlanSupport.documents(text)["scheduler-tiny-ping.yaml"])
        #expect(yamlValue(job, "attemptDeadline") as? String == "15s")
        #expect(yamlValue(job, "httpTarget", "headers", "x-api-key") == nil, "auth none sends no key")
    }

    @Test func longTrainingAsACloudRunJobIsStartedThroughTheAdminAPI() throws {
        let text = try DeployPlanSupport.replacing(
            "timeout: 30m", with: "timeout: 50m", in: DeployPlanSupport.repositoryManifest)
        let documents = try DeployPlanSupport.documents(
            text, target: DeployPlanSupport.target { $0.trainingTrigger = .job })
        let job = try #require(documents["scheduler-rideease-train.yaml"])
        #expect(
            yamlValue(job, "httpTarget", "uri") as? String
                == "https://run.googleapis.com/v2/projects/rides-prod/locations/europe-west1/jobs/rideease-train:run")
        #expect(yamlValue(job, "httpTarget", "oauthToken", "scope") as? String == DeployPlanner.cloudPlatformScope)
        #expect(yamlValue(job, "httpTarget", "oidcToken") == nil)
        let task = yamlValue(documents["job-train.yaml"], "spec", "template", "spec", "template", "spec")
        #expect(yamlValue(task, "timeoutSeconds") as? Int == 50 * 60)
    }
}
