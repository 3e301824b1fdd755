import ArgumentParser
import Emulator
import Foundation
import FunctionRuntime
import Functions

/// `rideease invoke NAME`: runs one function once, without a server, as its trigger would.
struct Invoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one function once without a server; the response body goes to stdout.",
        discussion: "Exits 0 for a 2xx/3xx answer and 1 otherwise. Admin-key checks are skipped: you are the operator."
    )

    @OptionGroup var bundle: BundleOptions

    @Argument(help: "The function's name in the manifest.")
    var name: String

    @Option(help: "The request body, usually JSON.")
    var data: String?

    @Option(name: .customLong("param"), help: "A path parameter as NAME=VALUE (repeatable).")
    var parameters: [String] = []

    @Option(name: .customLong("query"), help: "A query parameter as NAME=VALUE (repeatable).")
    var query: [String] = []

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let logger = Bootstrap.logging(environment, toStandardError: true)
        let exporter = PrometheusExporter(descriptions: FunctionCatalog.metricDescriptions)
        let runtime = try EmulatorRuntime.load(
            bundle, environment: environment, logger: logger, metricsFactory: exporter)
        guard let function = runtime.manifest.function(named: name) else {
            let names = runtime.manifest.functions.map(\.name).joined(separator: ", ")
            throw StartupError("no function named \"\(name)\"; the manifest declares: \(names)").exit()
        }
        let request = try makeRequest(for: function)
        let response = await runtime.invoker.invoke(function, request: request, checkAuth: false)
        for task in runtime.bundle.backgroundTasks { await task.shutdown() }
        FileHandle.standardOutput.write(response.body)
        if !response.body.isEmpty && response.body.last != UInt8(ascii: "\n") {
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
        FileHandle.standardError.write(Data("status \(response.status) requestId \(request.requestId)\n".utf8))
        if response.status >= 400 { throw ExitCode(1) }
    }

    private func makeRequest(for function: FunctionDeclaration) throws -> FunctionRequest {
        let pathParameters = try Self.pairs(parameters, option: "--param")
        let trigger = function.httpTriggers.first
        var path = "/"
        if let trigger {
            let missing = trigger.path.parameterNames.filter { pathParameters[$0] == nil }
            guard missing.isEmpty else {
                throw ValidationError(
                    "\(trigger) needs --param \(missing.map { "\($0)=…" }.joined(separator: " --param "))")
            }
            path = trigger.path.segments.reduce(into: "") { result, segment in
                switch segment {
                case .literal(let text): result += "/" + text
                case .parameter(let name): result += "/" + (pathParameters[name] ?? "")
                }
            }
            if path.isEmpty { path = "/" }
        }
        return FunctionRequest(
            method: trigger?.method ?? "POST",
            path: path,
            pathParameters: pathParameters,
            query: try Self.pairs(query, option: "--query"),
            headers: data == nil ? [:] : ["content-type": "application/json"],
            body: Data((data ?? "").utf8),
            trigger: .manual
        )
    }

    private static func pairs(_ items: [String], option: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("\(option) \"\(item)\" must look like NAME=VALUE")
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }
}
