import CoreMetrics
import Foundation
import Logging
import Offload
import Scheduler
import Storage

/// Runs functions the way production would, whoever triggered them (HTTP, schedule, CLI): it enforces the
/// manifest's auth, body limit and timeout, builds the handler's context, turns errors into JSON answers, and
/// records logs and metrics.
public struct FunctionInvoker: Sendable {
    /// The bundle's manifest.
    public let manifest: FunctionManifest
    private let handlers: [String: any FunctionHandler]
    private let storage: any ObjectStore
    private let clock: any WallClock
    private let logger: Logger
    private let environment: [String: String]
    private let secrets: [String: String]
    private let adminKey: AdminKey?
    private let viewerKey: AdminKey?
    private let metrics: FunctionMetrics
    private let cloudProject: String?
    private let logsRiderIds: Bool
    private let deadlines = DeadlineTimer()

    /// Creates an invoker.
    ///
    /// - Parameters:
    ///   - handlers: handler values by catalog name; every manifest function's handler must be present.
    ///   - environment: the process environment (only declared names reach handlers).
    ///   - adminKey: the admin key, or `nil` when none is configured (admin functions then answer 503). The viewer
    ///     key is read from `environment` (``FunctionManifest/viewerKeySecret``, or its `_FILE`).
    public init(
        manifest: FunctionManifest,
        handlers: [String: any FunctionHandler],
        storage: any ObjectStore,
        clock: any WallClock,
        metricsFactory: any MetricsFactory,
        logger: Logger,
        environment: [String: String],
        adminKey: AdminKey?
    ) throws(SecretError) {
        self.manifest = manifest
        self.handlers = handlers
        self.storage = storage
        self.clock = clock
        self.logger = logger
        self.environment = environment
        self.adminKey = adminKey
        self.viewerKey = try Secrets.value(manifest.viewerKeySecret, in: environment).map(AdminKey.init)
        var secrets: [String: String] = [:]
        for name in Set(manifest.functions.flatMap(\.secrets)) {
            secrets[name] = try Secrets.value(name, in: environment)
        }
        self.secrets = secrets
        self.metrics = FunctionMetrics(functionNames: manifest.functions.map(\.name), factory: metricsFactory)
        self.cloudProject = environment["GOOGLE_CLOUD_PROJECT"]
        self.logsRiderIds = Self.logsRiderIds(environment)
    }

    /// Invokes `function` with `request`. Never throws: every failure is an HTTP-shaped answer.
    ///
    /// - Parameters:
    ///   - checkAuth: `false` for scheduled and operator (CLI) invocations, which are trusted.
    ///   - progress: where the handler reports its steps (``FunctionContext/progress``), for a CLI command.
    public func invoke(
        _ function: FunctionDeclaration,
        request: FunctionRequest,
        checkAuth: Bool = true,
        progress: (@Sendable (String) -> Void)? = nil
    ) async -> FunctionResponse {
        let started = ContinuousClock.now
        var logger = logger
        logger[metadataKey: "function"] = .string(function.name)
        logger[metadataKey: "requestId"] = .string(request.requestId)
        if let trace = traceName(request.headers["x-cloud-trace-context"]) {
            logger[metadataKey: "logging.googleapis.com/trace"] = .string(trace)
        }
        var response: FunctionResponse
        do {
            if checkAuth { try authorize(function, request) }
            guard request.body.count <= function.maxRequestBytes else {
                throw FunctionError.payloadTooLarge(limit: function.maxRequestBytes)
            }
            response = try await run(function, request, logger: logger, started: started, progress: progress)
        } catch let error as FunctionError {
            response = error.response
        } catch let error as StorageError where error.isTransient {
            // The store being out of reach is not the caller's fault nor a bug: every handler answers 503 for it.
            logger.warning("storage unavailable", metadata: ["error": .string(String(describing: error))])
            response =
                FunctionError.unavailable("storage is unavailable right now; retry", retryAfterSeconds: 5)
                .response
        } catch {
            logger.error("function failed", metadata: ["error": .string(String(describing: error))])
            response = FunctionError.internalError().response
        }
        response.headers["X-Request-Id"] = request.requestId
        let elapsed = started.duration(to: .now)
        metrics.record(
            function: function.name, trigger: request.trigger.label, code: response.status, duration: elapsed)
        logger.log(
            level: response.status >= 500 ? .error : .info,
            "function invoked",
            metadata: [
                "status": .stringConvertible(response.status),
                "durationMs": .stringConvertible(Self.milliseconds(elapsed)),
                "trigger": .string(request.trigger.label),
            ]
        )
        return response
    }

    private func run(
        _ function: FunctionDeclaration,
        _ request: FunctionRequest,
        logger: Logger,
        started: ContinuousClock.Instant,
        progress: (@Sendable (String) -> Void)?
    ) async throws -> FunctionResponse {
        guard let handler = handlers[function.handler] else {
            throw FunctionError.unimplemented("handler \"\(function.handler)\" is not part of this build")
        }
        var context = FunctionContext(
            functionName: function.name,
            requestId: request.requestId,
            logger: logger,
            storage: storage,
            clock: clock,
            configuration: environment.filter { function.environment.contains($0.key) },
            secrets: secrets.filter { function.secrets.contains($0.key) },
            deadline: started.advanced(by: function.timeout),
            progress: progress
        )
        context.logsRiderIds = logsRiderIds
        let prepared = context
        do {
            return try await Deadline.run(limit: function.timeout, timer: deadlines) {
                guard handler.isCPUHeavy else { return try await handler.handle(request, context: prepared) }
                return try await withTaskExecutorPreference(Offload.cpu) {
                    try await handler.handle(request, context: prepared)
                }
            }
        } catch is Deadline.Exceeded {
            throw FunctionError.deadlineExceeded(
                "function \"\(function.name)\" did not finish within its timeout of \(function.timeout)"
            )
        }
    }

    private func authorize(_ function: FunctionDeclaration, _ request: FunctionRequest) throws(FunctionError) {
        switch function.auth {
        case .none: return
        case .adminKey: try checkAdminKey(request.headers)
        case .viewerKey: if let denied = viewerCheck(headers: request.headers) { throw denied }
        }
    }

    /// The error to answer when `headers` do not carry the admin key, or `nil` when they do.
    public func adminCheck(headers: [String: String]) -> FunctionError? {
        do {
            try checkAdminKey(headers)
            return nil
        } catch {
            return error
        }
    }

    /// The error to answer when `headers` carry neither the viewer key nor the admin key, or `nil` when they do.
    public func viewerCheck(headers: [String: String]) -> FunctionError? {
        guard adminKey != nil || viewerKey != nil else {
            return .unavailable(
                "trace reading disabled: set \(manifest.viewerKeySecret) (read-only) or \(manifest.adminKeySecret) "
                    + "(or either's _FILE) to enable it")
        }
        guard let presented = headers["x-api-key"], !presented.isEmpty else {
            return .unauthenticated("missing x-api-key header: \(acceptedKeys) required")
        }
        // Both compared, always: which key matched must not show in the time taken.
        let isAdmin = adminKey?.matches(presented) ?? false
        let isViewer = viewerKey?.matches(presented) ?? false
        return isAdmin || isViewer ? nil : .unauthenticated("invalid API key: \(acceptedKeys) required")
    }

    private var acceptedKeys: String {
        "the viewer key (\(manifest.viewerKeySecret)) or the admin key (\(manifest.adminKeySecret))"
    }

    private func checkAdminKey(_ headers: [String: String]) throws(FunctionError) {
        guard let adminKey else {
            throw .unavailable(
                "admin API disabled: set \(manifest.adminKeySecret) (or \(manifest.adminKeySecret)_FILE) to enable it"
            )
        }
        guard let presented = headers["x-api-key"], !presented.isEmpty else {
            throw .unauthenticated("missing x-api-key header: the admin key (\(manifest.adminKeySecret)) required")
        }
        let isAdmin = adminKey.matches(presented)
        let isViewer = viewerKey?.matches(presented) ?? false
        if isViewer && !isAdmin {
            throw .permissionDenied(
                "the viewer key is read-only: this function needs the admin key (\(manifest.adminKeySecret))")
        }
        guard isAdmin else {
            throw .unauthenticated("invalid API key: the admin key (\(manifest.adminKeySecret)) required")
        }
    }

    /// `projects/P/traces/T` from `X-Cloud-Trace-Context: T/SPAN;o=1`, which Cloud Logging joins to the request.
    private func traceName(_ header: String?) -> String? {
        guard let header, let cloudProject, let traceId = header.split(separator: "/").first, !traceId.isEmpty,
            traceId.allSatisfy(\.isHexDigit)
        else { return nil }
        return "projects/\(cloudProject)/traces/\(traceId)"
    }

    /// `LOG_RIDER_IDS=true`, on a developer's machine only: Cloud Run (`K_SERVICE`) never logs rider ids.
    public static func logsRiderIds(_ environment: [String: String]) -> Bool {
        environment["LOG_RIDER_IDS"] == "true" && environment["K_SERVICE"] == nil
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return (Double(seconds) * 1000 + Double(attoseconds) / 1e15).rounded(toPlaces: 3)
    }
}

extension FunctionRequest.Trigger {
    /// The metric and log label of a trigger.
    public var label: String {
        switch self {
        case .http: "http"
        case .schedule: "schedule"
        case .manual: "manual"
        }
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
