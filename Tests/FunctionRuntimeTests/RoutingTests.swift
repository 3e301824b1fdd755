import FunctionRuntime
import Testing

@Suite("path templates and the route table")
struct RoutingTests {
    let manifest = FunctionManifest(
        service: "rideease",
        functions: [
            FunctionDeclaration(
                name: "trace",
                handler: "getTrace",
                httpTriggers: [HTTPTrigger(method: "GET", path: try! PathTemplate("/traces/{requestId}"))]
            ),
            FunctionDeclaration(
                name: "summary",
                handler: "summary",
                httpTriggers: [HTTPTrigger(method: "GET", path: try! PathTemplate("/experiments/{id}/summary"))]
            ),
            FunctionDeclaration(
                name: "latest",
                handler: "latest",
                httpTriggers: [HTTPTrigger(method: "GET", path: try! PathTemplate("/traces/latest"))]
            ),
            FunctionDeclaration(
                name: "recommend",
                handler: "recommend",
                httpTriggers: [HTTPTrigger(method: "POST", path: try! PathTemplate("/recommendations"))]
            ),
        ]
    )

    func matched(_ method: String, _ path: String) -> (String, [String: String])? {
        if case .found(let function, let parameters) = RouteTable(manifest: manifest).match(
            method: method, path: path)
        {
            return (function.name, parameters)
        }
        return nil
    }

    @Test func capturesPathParameters() throws {
        let (name, parameters) = try #require(matched("GET", "/experiments/rec-engine/summary"))
        #expect(name == "summary")
        #expect(parameters == ["id": "rec-engine"])
    }

    @Test func decodesPercentEncodedParameters() throws {
        let (_, parameters) = try #require(matched("GET", "/traces/a%20b"))
        #expect(parameters == ["requestId": "a b"])
    }

    @Test func literalSegmentsWinOverParameters() throws {
        #expect(try #require(matched("GET", "/traces/latest")).0 == "latest")
        #expect(try #require(matched("GET", "/traces/0190")).0 == "trace")
    }

    @Test func trailingSlashIsIgnoredAndEmptySegmentsDoNotMatch() throws {
        #expect(try #require(matched("POST", "/recommendations/")).0 == "recommend")
        #expect(matched("GET", "/traces/") == nil)
        #expect(matched("GET", "/traces//x") == nil)
    }

    @Test func headIsServedByGet() throws {
        #expect(try #require(matched("HEAD", "/traces/abc")).0 == "trace")
    }

    @Test func unknownPathIsNotFound() {
        guard case .notFound = RouteTable(manifest: manifest).match(method: "GET", path: "/nope") else {
            Issue.record("expected notFound")
            return
        }
    }

    @Test func wrongMethodListsTheAllowedOnes() {
        let table = RouteTable(manifest: manifest)
        guard case .methodNotAllowed(let allowed) = table.match(method: "GET", path: "/recommendations") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(allowed == ["POST"])
        guard case .methodNotAllowed(let forGet) = table.match(method: "DELETE", path: "/traces/x") else {
            Issue.record("expected methodNotAllowed")
            return
        }
        #expect(forGet == ["GET", "HEAD"])
    }

    @Test func templateShapeIgnoresParameterNames() throws {
        #expect(try PathTemplate("/a/{x}/b").shape == (try PathTemplate("/a/{y}/b")).shape)
        #expect(try PathTemplate("/").segments.isEmpty)
    }
}
