import FunctionRuntime
import Testing

@Suite("handlers are built from what their functions declare in env:")
struct HandlerConfigurationTests {
    static func function(_ name: String, handler: String, env: [String]) -> FunctionDeclaration {
        FunctionDeclaration(name: name, handler: handler, environment: env)
    }

    static let environment = ["A": "1", "B": "2", "C": "3", "HOME": "/root"]

    @Test func aHandlerSeesTheVariablesOfItsFunctionsAndNoOthers() {
        let manifest = FunctionManifest(
            service: "s",
            functions: [
                Self.function("one", handler: "switch", env: ["A"]),
                Self.function("two", handler: "switch", env: ["B"]),
                Self.function("other", handler: "list", env: ["C"]),
            ])
        let configuration = HandlerConfiguration(manifest: manifest, environment: Self.environment)
        #expect(configuration.values(for: "switch") == ["A": "1", "B": "2"])
        #expect(configuration.values(for: "list") == ["C": "3"])
        #expect(configuration.values(for: "unused").isEmpty)
    }

    @Test func sharedStateReadsAVariableEveryUserDeclaresAndIgnoresOneNoneDoes() throws {
        let manifest = FunctionManifest(
            service: "s",
            functions: [
                Self.function("a", handler: "first", env: ["A"]),
                Self.function("b", handler: "second", env: ["A", "C"]),
                Self.function("c", handler: "outsider", env: ["B"]),
            ])
        let configuration = HandlerConfiguration(manifest: manifest, environment: Self.environment)
        #expect(try configuration.shared(["A", "B"], by: ["first", "second"]) == ["A": "1"])
    }

    @Test func sharedStateDeclaredBySomeUsersOnlyIsAnError() throws {
        let manifest = FunctionManifest(
            service: "s",
            functions: [
                Self.function("a", handler: "first", env: ["A"]),
                Self.function("b", handler: "second", env: []),
            ])
        let configuration = HandlerConfiguration(manifest: manifest, environment: Self.environment)
        let error = try #require(throws: HandlerConfigurationError.self) {
            try configuration.shared(["A"], by: ["first", "second"])
        }
        #expect(error.description.contains("A configures state"))
        #expect(error.description.contains(#"missing in "b""#), "\(error)")
    }
}
