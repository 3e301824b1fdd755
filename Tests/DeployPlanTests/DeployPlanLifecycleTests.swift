import Foundation
import TestRequirements
import Testing

@testable import DeployPlan

/// `retention:` becomes Cloud Storage and S3 lifecycle rules in the plan, with the same ages and the store's prefix.
@Suite("the plan's bucket lifecycle rules follow retention")
struct DeployPlanLifecycleTests {
    struct Rule: Decodable, Equatable {
        var id: String
        var prefix: String
        var days: Int
        var status: String
    }

    static let s3Check = ExternalRequirement(
        "python3 with moto and boto3", installHint: "run scripts/install-test-deps.sh"
    ) { ExternalTools.pythonCanImport(["moto", "boto3"]) }

    @Test func theRepositoryManifestsRetentionBecomesRulesUnderTheStorePrefix() throws {
        let documents = try DeployPlanSupport.documents(try DeployPlanSupport.repositoryManifest)
        let gcs = try #require(documents["lifecycle-gcs.json"]?["lifecycle"] as? [String: Any])
        let rules = try #require(gcs["rule"] as? [[String: Any]])
        var ages: [String: Int] = [:]
        for rule in rules {
            #expect((rule["action"] as? [String: String])?["type"] == "Delete")
            let condition = try #require(rule["condition"] as? [String: Any])
            let prefixes = try #require(condition["matchesPrefix"] as? [String])
            #expect(prefixes.count == 1)
            ages[prefixes[0]] = condition["age"] as? Int
        }
        // functions.yaml: traces 30d, events 400d, audit 5y; the plan's store is gs://rides-prod-state/rideease.
        #expect(ages == ["rideease/traces/": 30, "rideease/events/": 400, "rideease/audit/": 1825])
        let s3 = try #require(documents["lifecycle-s3.json"]?["Rules"] as? [[String: Any]])
        let s3Ages = Dictionary(
            uniqueKeysWithValues: try s3.map { rule in
                (
                    try #require((rule["Filter"] as? [String: String])?["Prefix"]),
                    try #require((rule["Expiration"] as? [String: Int])?["Days"])
                )
            })
        #expect(s3Ages == ages)
    }

    @Test(arguments: [
        ("gs://bucket", ""), ("gs://bucket/", ""), ("gs://bucket/a/b", "a/b/"), ("gs://bucket/a/b/", "a/b/"),
        ("s3://bucket/state?endpoint=http://127.0.0.1:9000&region=us-east-1", "state/"),
    ])
    func thePrefixIsTheStoresFolder(storage: String, prefix: String) {
        #expect(BucketLifecycle.keyPrefix(of: storage) == prefix)
    }

    @Test func noRetentionMeansNoLifecycleDocuments() throws {
        let text = try DeployPlanSupport.replacing(
            "retention:\n  traces: 30d\n  events: 400d\n  audit: 5y\n", with: "",
            in: try DeployPlanSupport.repositoryManifest)
        let names = Set(try DeployPlanSupport.documents(text).keys)
        #expect(!names.contains("lifecycle-gcs.json") && !names.contains("lifecycle-s3.json"))
    }

    @Test(.requires(Self.s3Check))
    func s3AcceptsTheConfigurationAndReportsTheSameRules() throws {
        try Self.s3Check.check()
        let plan = try DeployPlanSupport.planner(try DeployPlanSupport.repositoryManifest).plan()
        let document = try #require(try plan.documents().first { $0.fileName == "lifecycle-s3.json" })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lifecycle-\(UUID()).json")
        try Data(document.yaml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Reference/s3_lifecycle_check.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ExternalTools.python))
        process.arguments = [script.path, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "S3 refused the lifecycle configuration")
        let rules = try JSONDecoder().decode([Rule].self, from: data).sorted { $0.id < $1.id }
        #expect(
            rules == [
                Rule(id: "rideease-audit", prefix: "rideease/audit/", days: 1825, status: "Enabled"),
                Rule(id: "rideease-events", prefix: "rideease/events/", days: 400, status: "Enabled"),
                Rule(id: "rideease-traces", prefix: "rideease/traces/", days: 30, status: "Enabled"),
            ])
    }

    @Test func loggingRiderIdsIsRefusedInAPlanAndTheViewerKeyIsASecret() throws {
        let problems = try DeployPlanSupport.problems(
            try DeployPlanSupport.repositoryManifest,
            target: DeployPlanSupport.target { $0.environment = ["LOG_RIDER_IDS=true"] })
        #expect(problems.contains { $0.hasPrefix("--env LOG_RIDER_IDS") }, "\(problems)")
        let viewer = try DeployPlanSupport.problems(
            try DeployPlanSupport.repositoryManifest,
            target: DeployPlanSupport.target { $0.environment = ["RIDEEASE_VIEWER_KEY=oops"] })
        #expect(viewer.contains { $0.contains("is a secret") }, "\(viewer)")
        let service = try #require(
            try DeployPlanSupport.documents(try DeployPlanSupport.repositoryManifest)["service.yaml"])
        #expect(String(describing: service).contains("RIDEEASE_VIEWER_KEY"), "mounted from Secret Manager")
    }
}
