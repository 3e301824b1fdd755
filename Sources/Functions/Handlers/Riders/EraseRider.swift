import Foundation
import FunctionRuntime

/// `DELETE /riders/{userId}`: records the erasure and answers 202 with its progress at once; the sweep runs in the
/// background (``ErasureRunner``) and `GET /riders/{userId}/erasure` follows it.
///
/// Every well-formed id is accepted, known or not: the rider's events may still sit in a writer's buffer, and a
/// 404 would tell any holder of the admin key whether someone rides with us. Asked again, a pending erasure
/// answers as it is (and its sweep is started again, in case the process that ran it died); a complete one starts
/// over, since the rider may have come back.
struct EraseRider: FunctionHandler {
    let serving: ServingContext
    let runner: ErasureRunner

    func handle(_ request: FunctionRequest, context: FunctionContext) async throws -> FunctionResponse {
        let userId = try ErasureInvocation.userId(request)
        let sweep = try await ErasureInvocation.sweep(context, serving: serving)
        let record = try await sweep.request(userId)
        let logger = context.logger
        runner.start {
            do {
                try await sweep.run(userId)
            } catch {
                logger.error(
                    "rider erasure stopped; the scheduled resume will finish it",
                    metadata: ["riderHash": "\(record.riderHash)", "error": "\(error)"])
            }
        }
        var response = try FunctionResponse.json(record.progress, status: 202)
        response.headers["Location"] = "/riders/\(Self.pathSegment(userId))/erasure"
        return response
    }

    /// `userId` percent-encoded as one path segment.
    static func pathSegment(_ userId: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return userId.addingPercentEncoding(withAllowedCharacters: allowed) ?? userId
    }
}
