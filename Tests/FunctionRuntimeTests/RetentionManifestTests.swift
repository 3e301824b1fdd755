import Testing

@testable import FunctionRuntime

/// `retention:` and `viewerKeySecret` in `functions.yaml`: read into the manifest, or refused with a location.
@Suite("retention and the viewer key in the manifest")
struct RetentionManifestTests {
    let loader = ManifestLoader(knownHandlers: ["healthz"])

    func manifest(_ top: String) throws(ManifestError) -> FunctionManifest {
        try loader.parse(
            """
            service: rideease
            \(top)
            functions:
              healthz:
                handler: healthz
                http: GET /healthz
            """, file: "functions.yaml")
    }

    func problems(_ top: String) -> [String] {
        do {
            _ = try manifest(top)
            return []
        } catch {
            return error.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func daysWeeksAndYearsBecomeDays() throws {
        let parsed = try manifest("retention: {traces: 30d, events: 8w, audit: 5y}")
        #expect(parsed.retention == RetentionPolicy(tracesDays: 30, eventsDays: 56, auditDays: 1825))
        let partial = try manifest("retention:\n  traces: 1d")
        #expect(partial.retention == RetentionPolicy(tracesDays: 1))
        #expect(try manifest("").retention == RetentionPolicy(), "no retention: everything is kept")
    }

    @Test(arguments: [
        ("retention: {traces: 0d}", "retention.traces 0d is out of range: keep data at least 1 day"),
        ("retention: {events: 11y}", "retention.events 11y is out of range"),
        ("retention: {audit: 3651d}", "at most 10 years (3650d)"),
        ("retention: {traces: 30}", "retention.traces \"30\" is not a retention period; write it like 30d"),
        ("retention: {traces: 1.5d}", "is not a retention period"),
        ("retention: {traces: -1d}", "is not a retention period"),
        ("retention: {trace: 30d}", "unknown key \"trace\" in retention; did you mean \"traces\"?"),
        ("retention: 30d", "retention must be a mapping"),
    ])
    func badRetentionIsNamedWithItsPlace(line: String, expected: String) {
        let found = problems(line)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("2:") == true, "\(found)")
        #expect(found.first?.contains(expected) == true, "\(found)")
    }

    @Test func theViewerKeySecretHasADefaultAndMustBeAnotherName() throws {
        #expect(try manifest("").viewerKeySecret == "RIDEEASE_VIEWER_KEY")
        #expect(try manifest("viewerKeySecret: TRACE_READER_KEY").viewerKeySecret == "TRACE_READER_KEY")
        #expect(problems("viewerKeySecret: lower").first?.contains("must be an environment variable name") == true)
        let same = problems("viewerKeySecret: MODEL_ADMIN_API_KEY")
        #expect(same.first?.contains("viewerKeySecret must differ from adminKeySecret") == true, "\(same)")
    }
}
