import Foundation
import Testing

@Suite("rideease deploy plan, the real binary")
struct DeployPlanCommandTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)
    static let serviceURL = "https://rideease-abc123-ew.a.run.app"

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rideease-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    @Test func problemsGoToStderrWithTheirPlaceAndExitOne() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = """
            service: rideease
            functions:
              healthz:
                handler: healthz
                http: GET /healthz
                env: [K_REVISION]
            """
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("bad.yaml"))
        let result = try await RideEaseProcess.run(
            [
                "deploy", "plan", "--manifest", "bad.yaml", "--image", "registry.example/rideease:latest",
                "--project", "p", "--region", "europe-west1", "--storage", "gs://bucket/rideease",
            ],
            directory: directory
        )
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "no plan on failure: \(result.stdout)")
        #expect(
            result.stderr.contains(
                "rideease: bad.yaml:6:11: function \"healthz\": env K_REVISION is reserved by Cloud Run"),
            "\(result.stderr)")
        #expect(result.stderr.contains("--image registry.example/rideease:latest is not pinned by digest"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func outputWritesOneFilePerResource() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            at: RideEaseProcess.packageRoot.appendingPathComponent("functions.yaml"),
            to: directory.appendingPathComponent("functions.yaml"))
        let result = try await RideEaseProcess.run(
            [
                "deploy", "plan", "--image", "registry.example/rideease@\(Self.digest)",
                "--project", "p", "--region", "europe-west1", "--storage", "gs://bucket/rideease",
                "--service-url", Self.serviceURL, "--scheduler-service-account",
                "s@p.iam.gserviceaccount.com",
                "--output", "plan",
            ],
            directory: directory
        )
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("plan").path)
        #expect(
            Set(files) == [
                "service.yaml", "job-train.yaml", "scheduler-rideease-train.yaml",
                "scheduler-rideease-resume-erasures.yaml", "scheduler-rideease-compact.yaml", "lifecycle-gcs.json",
                "lifecycle-s3.json",
            ])
    }
}
