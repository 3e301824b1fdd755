import FunctionRuntime
import Testing

@Suite("the router: one decision for 404 and 405")
struct RouterTests {
    enum Endpoint: Sendable, Equatable { case list, run }

    let router = Router<Endpoint>(
        [
            .init("GET", try! PathTemplate("/jobs"), .list, answersHead: false),
            .init("POST", try! PathTemplate("/jobs/{name}/run"), .run),
        ], ignoresTrailingSlash: false)

    @Test func aRouteThatDoesNotAnswerHeadListsOnlyItsMethod() {
        guard case .methodNotAllowed(let allowed) = router.match(method: "HEAD", path: "/jobs") else {
            Issue.record("HEAD must be refused")
            return
        }
        #expect(allowed == ["GET"])
        let refusal = router.match(method: "HEAD", path: "/jobs").refusal(method: "HEAD", notFound: "none")
        #expect(refusal?.status == 405)
        #expect(refusal?.headers["Allow"] == "GET")
    }

    @Test func exactPathsKeepTheTrailingSlash() {
        guard case .notFound = router.match(method: "GET", path: "/jobs/") else {
            Issue.record("/jobs/ is not /jobs for an exact router")
            return
        }
        #expect(
            router.match(method: "GET", path: "/jobs/").refusal(method: "GET", notFound: "no /jobs/")?.message
                == "no /jobs/")
    }

    @Test func aMatchHasParametersAndNoRefusal() throws {
        let match = router.match(method: "POST", path: "/jobs/nightly/run")
        #expect(match.refusal(method: "POST", notFound: "none") == nil)
        guard case .found(let endpoint, let parameters) = match else {
            Issue.record("expected a match")
            return
        }
        #expect(endpoint == .run)
        #expect(parameters == ["name": "nightly"])
    }
}
