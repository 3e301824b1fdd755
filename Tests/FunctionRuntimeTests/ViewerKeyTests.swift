import Foundation
import Testing

@testable import FunctionRuntime

/// `auth: viewerKey`: traces are readable with the read-only viewer key or the admin key, and the answers to
/// everyone else say which keys would do.
@Suite("the viewer key opens viewerKey functions and nothing else")
struct ViewerKeyTests {
    static let echo = ClosureHandler { _, _ in try .json(["ok": true]) }
    static let viewer = ["RIDEEASE_VIEWER_KEY": "look-dont-touch"]

    func message(_ response: FunctionResponse) throws -> String { try response.decodedError().error.message }

    @Test func viewerKeyFunctionsTakeEitherKeyAndNameBothWhenRefusing() async throws {
        let fixture = try InvokerFixture(
            function: FunctionInvokerTests.declaration(auth: .viewerKey), handler: Self.echo,
            environment: Self.viewer, adminKey: "s3cret")
        #expect(await fixture.invoke(FunctionRequest(headers: ["x-api-key": "look-dont-touch"])).status == 200)
        #expect(await fixture.invoke(FunctionRequest(headers: ["x-api-key": "s3cret"])).status == 200)
        let missing = await fixture.invoke(FunctionRequest())
        #expect(missing.status == 401)
        #expect(
            try message(missing)
                == "missing x-api-key header: the viewer key (RIDEEASE_VIEWER_KEY) or the admin key "
                + "(MODEL_ADMIN_API_KEY) required")
        let wrong = await fixture.invoke(FunctionRequest(headers: ["x-api-key": "look-dont-touc"]))
        #expect(wrong.status == 401)
        #expect(try message(wrong).hasPrefix("invalid API key: the viewer key (RIDEEASE_VIEWER_KEY)"))
    }

    @Test func theViewerKeyOnAnAdminFunctionIs403NotAnAdmin() async throws {
        let fixture = try InvokerFixture(
            function: FunctionInvokerTests.declaration(auth: .adminKey), handler: Self.echo,
            environment: Self.viewer, adminKey: "s3cret")
        let denied = await fixture.invoke(FunctionRequest(headers: ["x-api-key": "look-dont-touch"]))
        #expect(denied.status == 403)
        #expect(try denied.decodedError().error.code == "permission_denied")
        #expect(
            try message(denied)
                == "the viewer key is read-only: this function needs the admin key (MODEL_ADMIN_API_KEY)")
        #expect(await fixture.invoke(FunctionRequest(headers: ["x-api-key": "s3cret"])).status == 200)
    }

    @Test func aViewerKeyAloneOpensTracesButNoAdminFunction() async throws {
        let traces = try InvokerFixture(
            function: FunctionInvokerTests.declaration(auth: .viewerKey), handler: Self.echo,
            environment: Self.viewer)
        #expect(await traces.invoke(FunctionRequest(headers: ["x-api-key": "look-dont-touch"])).status == 200)
        let admin = try InvokerFixture(
            function: FunctionInvokerTests.declaration(auth: .adminKey), handler: Self.echo,
            environment: Self.viewer)
        #expect(await admin.invoke(FunctionRequest(headers: ["x-api-key": "look-dont-touch"])).status == 503)
    }

    @Test func withNoKeyConfiguredTracesAreClosedNotOpen() async throws {
        let fixture = try InvokerFixture(
            function: FunctionInvokerTests.declaration(auth: .viewerKey), handler: Self.echo)
        let response = await fixture.invoke(FunctionRequest(headers: ["x-api-key": "anything"]))
        #expect(response.status == 503)
        #expect(try message(response).hasPrefix("trace reading disabled: set RIDEEASE_VIEWER_KEY"))
        #expect(await fixture.invoke(FunctionRequest(), checkAuth: false).status == 200, "operators are trusted")
    }

    @Test func theViewerKeyIsReadFromAFileLikeTheAdminKey() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("viewer-key")
        try Data("from-a-file\n".utf8).write(to: file)
        let fixture = try InvokerFixture(
            function: FunctionInvokerTests.declaration(auth: .viewerKey), handler: Self.echo,
            environment: ["RIDEEASE_VIEWER_KEY_FILE": file.path])
        #expect(await fixture.invoke(FunctionRequest(headers: ["x-api-key": "from-a-file"])).status == 200)
    }
}
