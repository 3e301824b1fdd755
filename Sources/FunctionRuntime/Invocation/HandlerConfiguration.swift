/// The settings handlers may read when the bundle builds them, by the rule the invoker applies to every
/// invocation: a handler sees the environment variables that the manifest's functions running it declare in
/// `env:`, and no others.
public struct HandlerConfiguration: Sendable {
    private struct Declaration: Sendable {
        var function: String
        var handler: String
        var names: Set<String>
    }

    private let declarations: [Declaration]
    private let environment: [String: String]

    /// The configuration `manifest` allows out of `environment` (the process environment).
    public init(manifest: FunctionManifest, environment: [String: String]) {
        declarations = manifest.functions.map {
            Declaration(function: $0.name, handler: $0.handler, names: Set($0.environment))
        }
        let declared = Set(manifest.functions.flatMap(\.environment))
        self.environment = environment.filter { declared.contains($0.key) }
    }

    /// The variables the functions running `handler` declare, with their values; empty for a handler no
    /// function runs.
    public func values(for handler: String) -> [String: String] {
        let names = declarations.filter { $0.handler == handler }.reduce(into: Set<String>()) { $0.formUnion($1.names) }
        return environment.filter { names.contains($0.key) }
    }

    /// The values of `names` for state built once and shared by `handlers` (one model server behind every
    /// serving function). A name counts when every function running one of the handlers declares it and is
    /// ignored when none does; declared by some only, the shared state would hand a function a variable it does
    /// not list, so that is an error naming the functions that miss it.
    public func shared(_ names: [String], by handlers: [String]) throws(HandlerConfigurationError) -> [String: String] {
        let users = declarations.filter { handlers.contains($0.handler) }
        var values: [String: String] = [:]
        for name in names {
            let missing = users.filter { !$0.names.contains(name) }
            if missing.count == users.count { continue }
            guard missing.isEmpty else {
                throw HandlerConfigurationError(
                    "\(name) configures state the functions \(users.map { "\"\($0.function)\"" }.joined(separator: ", ")) "
                        + "share: declare it in the env of all of them or of none (missing in "
                        + "\(missing.map { "\"\($0.function)\"" }.joined(separator: ", ")))")
            }
            values[name] = environment[name]
        }
        return values
    }
}

/// Functions sharing state declare its variables differently; the process refuses to start with this message.
public struct HandlerConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is inconsistent and how to fix it.
    public let description: String

    init(_ description: String) { self.description = description }
}
