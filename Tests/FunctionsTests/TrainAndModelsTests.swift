import Foundation
import FunctionRuntime
import Recommender
import Testing

@Suite("train and admin-models handlers")
struct TrainAndModelsTests {
    static func seed(_ fixture: HandlerFixture) async throws {
        for body in try seedBodies(batch: 1000) {
            #expect(try await fixture.call("ingestEvents", body: body).status == 200)
        }
    }

    /// Two weeks of rides of 80 riders over 40 places, as `events` request bodies of `batch` rides each.
    static func seedBodies(batch: Int) throws -> [String] {
        var configuration = RideWorldConfiguration()
        configuration.riders = 80
        configuration.places = 40
        configuration.days = 14
        let lines = try RideWorld(configuration: configuration).rides().map { ride in
            #"{"type":"ride","userId":"\#(ride.userId)","itemId":"\#(ride.itemId)","timestamp":\#(ride.timestamp)}"#
        }
        return stride(from: 0, to: lines.count, by: batch).map { start in
            #"{"events":["# + lines[start..<min(start + batch, lines.count)].joined(separator: ",") + "]}"
        }
    }

    @Test func trainRegistersAndModelsListsIt() async throws {
        let fixture = try HandlerFixture()
        try await Self.seed(fixture)
        let trained = try await fixture.call(
            "train", body: #"{"tune":false}"#, configuration: ["PIPELINE_GIT_SHA": "cafe"])
        #expect(trained.status == 200, "\(String(decoding: trained.body, as: UTF8.self))")
        #expect(try fixture.json(trained)["status"] as? String == "registered")
        let listed = try fixture.json(try await fixture.call("listModels"))
        let models = try #require(listed["models"] as? [[String: Any]])
        #expect(models.count == 1)
        #expect(models.first?["version"] as? String == "v0.1.0")
        let lineage = try #require(models.first?["lineage"] as? [String: Any])
        #expect(lineage["pipelineGitSha"] as? String == "cafe")
    }

    @Test func trainWithoutEventsIsAFailedPrecondition() async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("train")
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("failed_precondition"))
    }

    @Test(arguments: [#"{"algorithm":"deep"}"#, #"{"snapshotId":"../../x"}"#, #"{"tune":"yes"}"#])
    func badTrainOptionsAre400(body: String) async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("train", body: body)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains("invalid_argument"))
    }

    @Test func anUnknownSnapshotIs404() async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call("train", body: #"{"snapshotId":"snap-0123456789abcdef"}"#)
        #expect(response.status == 404)
        #expect(
            String(decoding: response.body, as: UTF8.self).contains("snapshot snap-0123456789abcdef does not exist"))
    }
}
