import Foundation
import FunctionRuntime
import Recommender
import Testing

@Suite("POST /train refuses city-sized event logs")
struct TrainSizeBoundTests {
    @Test func aLogAboveTheBoundIs409AndPointsToTheJob() async throws {
        let fixture = try HandlerFixture()
        try await TrainAndModelsTests.seed(fixture)
        let response = try await fixture.call(
            "train", body: #"{"tune":false}"#, configuration: [TrainingSizeBound.configurationKey: "1000"])
        #expect(response.status == 409)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("conflict"))
        #expect(text.contains("Cloud Run Job"))
        #expect(text.contains(TrainingSizeBound.configurationKey))
        let listed = try fixture.json(try await fixture.call("listModels"))
        #expect((listed["models"] as? [[String: Any]])?.isEmpty ?? true, "nothing was trained")
    }

    @Test func aLogWithinTheBoundTrains() async throws {
        let fixture = try HandlerFixture()
        try await TrainAndModelsTests.seed(fixture)
        let response = try await fixture.call(
            "train", body: #"{"tune":false}"#, configuration: [TrainingSizeBound.configurationKey: "100000000"])
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
    }

    @Test(arguments: ["0", "-5", "lots"])
    func aMalformedBoundIs400(value: String) async throws {
        let fixture = try HandlerFixture()
        let response = try await fixture.call(
            "train", body: #"{"tune":false}"#, configuration: [TrainingSizeBound.configurationKey: value])
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self).contains(TrainingSizeBound.configurationKey))
    }
}
