import Foundation
import FunctionRuntime

/// What the rider handlers share: the validated rider id of the path and the sweep configured for this invocation.
enum ErasureInvocation {
    /// The `{userId}` of the path, or a 400 naming what is wrong with it.
    static func userId(_ request: FunctionRequest) throws -> String {
        let userId = request.pathParameters["userId"] ?? ""
        if let problem = RiderId.problem(with: userId) { throw FunctionError.invalidArgument(problem) }
        return userId
    }

    /// The hash keyed as this function's secrets say.
    static func hash(_ context: FunctionContext) async throws -> RiderHash {
        try await RiderHash.resolve(
            secret: context.secrets[RiderHash.secretName], store: context.storage, logger: context.logger)
    }

    /// A sweep with the function's settings, dropping riders from the serving instance's memory too.
    static func sweep(_ context: FunctionContext, serving: ServingContext) async throws -> ErasureSweep {
        let settings: ErasureSettings
        do {
            settings = try ErasureSettings(environment: context.configuration)
        } catch {
            throw FunctionError.failedPrecondition(error.description)
        }
        let traces = serving.traces
        return ErasureSweep(
            store: context.storage, clock: context.clock, settings: settings, hash: try await hash(context),
            logger: context.logger,
            progress: { [logger = context.logger] line in logger.info("erasure progress", metadata: ["step": "\(line)"])
            },
            forgetInMemory: { _ = traces.forget(userId: $0) })
    }
}
