import Foundation
import FunctionRuntime
import Testing

@Suite("functions.yaml loading and validation")
struct ManifestLoaderTests {
    let loader = ManifestLoader(knownHandlers: ["healthz", "recommend", "train", "getTrace"])

    /// Parses `yaml` and returns the diagnostics as `line:col: message` strings (without the file name).
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try loader.parse(yaml, file: "functions.yaml")
            return []
        } catch {
            return error.diagnostics.map { "\($0.line):\($0.column): \($0.message)" }
        }
    }

    @Test func parsesAValidManifest() throws {
        let manifest = try loader.parse(
            """
            specVersion: v1
            service: rideease
            defaults:
              timeout: 20s
              timeZone: Europe/Berlin
            functions:
              healthz:
                handler: healthz
                http: GET /healthz
              recommendations:
                handler: recommend
                http: ["POST /recommendations", "GET /recommendations/{userId}"]
                maxRequestBytes: 16KiB
                timeout: 500ms
              train:
                handler: train
                http: POST /train
                auth: adminKey
                schedule:
                  cron: "0 2 * * 0"
                  retry: {count: 2, minBackoff: 1m, maxBackoff: 10m}
                env: [PIPELINE_GIT_SHA]
                secrets: [MODEL_ADMIN_API_KEY]
            """
        )
        #expect(manifest.service == "rideease")
        #expect(manifest.functions.map(\.name) == ["healthz", "recommendations", "train"])
        let healthz = try #require(manifest.function(named: "healthz"))
        #expect(healthz.timeout == .seconds(20))
        #expect(healthz.auth == .none)
        #expect(healthz.maxRequestBytes == 1 << 20)
        let recommendations = try #require(manifest.function(named: "recommendations"))
        #expect(
            recommendations.httpTriggers.map(\.description) == [
                "POST /recommendations", "GET /recommendations/{userId}",
            ])
        #expect(recommendations.maxRequestBytes == 16 * 1024)
        #expect(recommendations.timeout == .milliseconds(500))
        let train = try #require(manifest.function(named: "train"))
        #expect(train.auth == .adminKey)
        #expect(train.schedule?.expression == "0 2 * * 0")
        #expect(train.schedule?.timeZone.identifier == "Europe/Berlin")
        #expect(
            train.schedule?.retry
                == ScheduleRetryPolicy(retryCount: 2, minBackoff: .seconds(60), maxBackoff: .seconds(600)))
        #expect(train.environment == ["PIPELINE_GIT_SHA"])
        #expect(train.secrets == ["MODEL_ADMIN_API_KEY"])
    }

    @Test func theRepositoryManifestIsValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let names: Set<String> = [
            "healthz", "recommend", "getTrace", "listModels", "switchModel", "rollbackModel", "experimentSummary",
            "experimentTimeline", "train", "ingestEvents", "listExperiments", "createExperiment", "getExperiment",
            "startExperiment", "stopExperiment", "getShadow", "startShadow", "stopShadow", "shadowSummary",
            "eraseRider", "getErasure", "resumeErasures", "compactSegments",
        ]
        let manifest = try ManifestLoader(knownHandlers: names).load(
            path: root.appendingPathComponent("functions.yaml").path)
        let routes = Set(manifest.functions.flatMap(\.httpTriggers).map(\.description))
        // The original demo's interface: these routes are what users' scripts call.
        for route in [
            "GET /healthz", "POST /recommendations", "GET /traces/{requestId}", "GET /admin/models",
            "POST /admin/switch-model", "GET /experiments/{experimentId}/summary", "POST /train",
        ] {
            #expect(routes.contains(route), "missing \(route)")
        }
        #expect(manifest.function(named: "train")?.schedule?.expression == "0 2 * * 0")
        #expect(manifest.function(named: "compact")?.schedule?.expression == "30 3 * * *")
    }

    @Test func unknownKeysAreReportedWithASuggestion() {
        #expect(
            problems(
                """
                service: rideease
                functions:
                  healthz:
                    handler: healthz
                    http: GET /healthz
                    timout: 5s
                """
            ) == [#"6:5: unknown key "timout" in function "healthz"; did you mean "timeout"?"#]
        )
    }

    @Test func badCronPointsAtTheFieldInsideTheString() {
        let found = problems(
            """
            service: rideease
            functions:
              train:
                handler: train
                schedule:
                  cron: "*/61 * * * *"
            """
        )
        #expect(found.count == 1)
        // The quote is column 13, the expression starts at 14, and the bad value "61" at 16.
        #expect(found == [#"6:16: schedule "*/61 * * * *": minute 61 is out of range 0-59"#])
    }

    @Test func cronShorthandAndRangeErrorsReportOffsets() {
        let found = problems(
            """
            service: rideease
            functions:
              train:
                handler: train
                schedule: "0 25 * * *"
            """
        )
        #expect(found == [#"5:18: schedule "0 25 * * *": hour 25 is out of range 0-23"#])
    }

    @Test(arguments: [
        ("timeZone: Mars/Olympus", "time zone \"Mars/Olympus\" is not an IANA time zone"),
        ("timeZone: Europe/Berln", "did you mean \"Europe/Berlin\"?"),
    ])
    func badTimeZones(line: String, expected: String) {
        let found = problems(
            """
            service: rideease
            functions:
              train:
                handler: train
                schedule:
                  cron: "0 2 * * *"
                  \(line)
            """
        )
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("7:17: ") == true, "\(found)")
        #expect(found.first?.contains(expected) == true, "\(found)")
    }

    @Test(arguments: [
        ("timeout: soon", "timeout of function \"healthz\" \"soon\" is not a duration"),
        ("timeout: 2h", "out of range"),
        ("maxRequestBytes: 1TB", "is not a size"),
        ("maxRequestBytes: 64MiB", "out of range"),
        ("auth: password", "auth \"password\" must be \"none\", \"viewerKey\" or \"adminKey\""),
        ("env: [lower_case]", "is not an environment variable name"),
    ])
    func badValues(line: String, expected: String) {
        let found = problems(
            """
            service: rideease
            functions:
              healthz:
                handler: healthz
                http: GET /healthz
                \(line)
            """
        )
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("6:") == true, "\(found)")
        #expect(found.first?.contains(expected) == true, "\(found)")
    }

    @Test func unknownHandlerIsNamed() {
        let found = problems(
            """
            service: rideease
            functions:
              recs:
                handler: recomend
                http: POST /recommendations
            """
        )
        #expect(found == [#"4:14: unknown handler "recomend" in function "recs"; did you mean "recommend"?"#])
    }

    @Test func duplicateRoutesAcrossFunctionsAreRejected() {
        let found = problems(
            """
            service: rideease
            functions:
              a:
                handler: getTrace
                http: GET /traces/{requestId}
              b:
                handler: getTrace
                http:
                  - GET /traces/{id}
            """
        )
        #expect(found == [#"9:9: route GET /traces/{id} of function "b" duplicates a route of "a""#])
    }

    @Test(arguments: [
        ("http: GET /metrics", "served by the host itself"),
        ("http: GET /_console", "served by the host itself"),
        ("http: FETCH /x", "method must be one of"),
        ("http: /x", "must be a method and a path"),
        ("http: GET x", "must start with /"),
        ("http: GET /a/{b}{c}", "whole segment"),
        ("http: GET /a/{id}/{id}", "appears twice"),
    ])
    func badRoutes(line: String, expected: String) {
        let found = problems(
            """
            service: rideease
            functions:
              f:
                handler: healthz
                \(line)
            """
        )
        #expect(found.count == 2 || found.count == 1, "\(found)")
        #expect(found.contains { $0.hasPrefix("5:11: ") && $0.contains(expected) }, "\(found)")
    }

    @Test func duplicateYAMLKeysAreAnError() {
        let found = problems(
            """
            service: rideease
            functions:
              healthz:
                handler: healthz
                http: GET /healthz
              healthz:
                handler: healthz
            """
        )
        #expect(found.count == 1)
        #expect(found.first?.contains("duplicate key \"healthz\"") == true, "\(found)")
    }

    @Test func invalidYAMLSyntaxHasALocation() {
        let found = problems("service: rideease\nfunctions:\n  a: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.contains("invalid YAML") == true, "\(found)")
        #expect(found.first?.hasPrefix("1:") == false, "the location should point past line 1: \(found)")
    }

    @Test func everyProblemIsReportedInFileOrder() {
        let found = problems(
            """
            service: Ride_Ease
            functions:
              healthz:
                http: GET /healthz
              train:
                handler: train
            """
        )
        #expect(
            found == [
                #"1:10: service "Ride_Ease" must be 1-49 lower-case letters, digits or hyphens, starting with a letter"#,
                #"3:3: function "healthz" needs a "handler""#,
                #"5:3: function "train" needs an "http" or a "schedule" trigger"#,
            ]
        )
    }

    @Test func errorDescriptionUsesFileLineColumn() throws {
        let error = try #require(throws: ManifestError.self) {
            try loader.parse("service: rideease\n", file: "deploy/functions.yaml")
        }
        #expect(error.description == #"deploy/functions.yaml:1:1: the manifest needs a "functions" mapping"#)
    }

    @Test func missingFileIsAClearError() throws {
        let error = try #require(throws: ManifestError.self) {
            try loader.load(path: "/nonexistent/functions.yaml")
        }
        #expect(error.description == "/nonexistent/functions.yaml:1:1: cannot read the file")
    }
}
