import Foundation
import FunctionRuntime
import Functions
import Testing

/// Handlers read configuration only through the manifest's `env:`: a variable set in the process but not declared
/// never reaches them, a declared one does.
@Suite("one configuration channel: the manifest's env:")
struct ConfigurationChannelTests {
    static let experiment = #"{"id":"exp-channel","variants":[{"name":"a","weight":0.5},{"name":"b","weight":0.5}]}"#

    /// The repository manifest with `names` taken out of every function's `env:`.
    static func manifest(without names: Set<String>, in functions: Set<String>? = nil) throws -> FunctionManifest {
        var manifest = try HandlerFixture.repositoryManifest()
        for index in manifest.functions.indices where functions?.contains(manifest.functions[index].name) ?? true {
            manifest.functions[index].environment.removeAll { names.contains($0) }
        }
        return manifest
    }

    @Test func aDeclaredVariableReachesTheServingHandlers() async throws {
        let fixture = try HandlerFixture(environment: ["RIDEEASE_EXPERIMENT": Self.experiment])
        let health = try fixture.json(try await fixture.call("healthz"))
        #expect(health["experimentId"] as? String == "exp-channel")
    }

    @Test func anUndeclaredVariableDoesNotReachThem() async throws {
        let fixture = try HandlerFixture(
            environment: ["RIDEEASE_EXPERIMENT": Self.experiment],
            manifest: try Self.manifest(without: ["RIDEEASE_EXPERIMENT"]))
        let health = try fixture.json(try await fixture.call("healthz"))
        #expect(health["experimentId"] as? String == "rec-engine", "the default, as if the variable were unset")
    }

    @Test func anUndeclaredBadValueIsNotEvenRead() throws {
        // Declared, a malformed experiment stops the start; undeclared, the handlers never see it.
        #expect(throws: (any Error).self) { try HandlerFixture(environment: ["RIDEEASE_EXPERIMENT": "{"]) }
        _ = try HandlerFixture(
            environment: ["RIDEEASE_EXPERIMENT": "{", "RIDEEASE_DEPLOYMENT_POLL_SECONDS": "0"],
            manifest: try Self.manifest(without: ["RIDEEASE_EXPERIMENT", "RIDEEASE_DEPLOYMENT_POLL_SECONDS"]))
    }

    @Test func sharedServingStateDeclaredByOnlySomeFunctionsIsAStartupError() throws {
        let partial = try Self.manifest(without: ["RIDEEASE_EXPERIMENT"], in: ["healthz", "traces"])
        let error = try #require(throws: HandlerConfigurationError.self) {
            try HandlerFixture(environment: [:], manifest: partial)
        }
        #expect(error.description.contains(#"missing in "healthz", "traces""#), "\(error)")
    }
}
