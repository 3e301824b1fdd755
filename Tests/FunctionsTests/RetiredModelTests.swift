import Foundation
import FunctionRuntime
import Recommender
import Testing

@Suite("retired model versions in the admin API")
struct RetiredModelTests {
    /// Two trained versions, v0.2.0 serving with v0.1.0 as its rollback target, then one of their riders erased.
    static func erasedFixture() async throws -> (HandlerFixture, experimentId: String, [ModelPatch]) {
        let fixture = try HandlerFixture()
        try await TrainAndModelsTests.seed(fixture)
        for _ in 0..<2 {
            #expect(try await fixture.call("train", body: #"{"tune":false}"#).status == 200)
        }
        let switched = try await fixture.call("switchModel", body: #"{"version":"v0.2.0"}"#)
        #expect(switched.status == 200, "\(String(decoding: switched.body, as: UTF8.self))")
        let registry = ModelRegistry(store: fixture.store)
        let rider = try #require(try await registry.loadModel(ModelVersion("v0.1.0")!).1.users.ids.first)
        let patches = try await ModelErasure(store: fixture.store).eraseRider(
            rider, erasureId: "0123456789abcdef", now: fixture.clock.now())
        let experimentId = try #require(try fixture.json(switched)["experimentId"] as? String)
        return (fixture, experimentId, patches)
    }

    @Test func theListingShowsWhatReplacedARetiredVersion() async throws {
        let (fixture, _, patches) = try await Self.erasedFixture()
        #expect(patches.map { "\($0.retired)->\($0.replacement)" } == ["v0.1.0->v0.1.1", "v0.2.0->v0.2.1"])
        let listed = try fixture.json(try await fixture.call("listModels"))
        let models = try #require(listed["models"] as? [[String: Any]])
        let byVersion = Dictionary(uniqueKeysWithValues: models.map { ($0["version"] as? String ?? "", $0) })
        #expect(byVersion.keys.sorted() == ["v0.1.0", "v0.1.1", "v0.2.0", "v0.2.1"])
        let retired = try #require(byVersion["v0.2.0"]?["retired"] as? [String: Any])
        #expect(retired["supersededBy"] as? String == "v0.2.1")
        #expect(retired["reason"] as? String == "rider erasure")
        #expect(byVersion["v0.2.1"]?["retired"] == nil)
        #expect(byVersion["v0.2.1"]?["serving"] as? [String] == ["control", "treatment"])
        let lineage = try #require(byVersion["v0.2.1"]?["lineage"] as? [String: Any])
        #expect((lineage["erasure"] as? [String: Any])?["parent"] as? String == "v0.2.0")
    }

    @Test func switchingToARetiredVersionIs4xxNamingItsReplacement() async throws {
        let (fixture, _, _) = try await Self.erasedFixture()
        let response = try await fixture.call("switchModel", body: #"{"version":"v0.1.0"}"#)
        #expect(response.status == 400)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("model version v0.1.0 was retired by a rider erasure; use v0.1.1"), "\(text)")
    }

    @Test func rollingBackOntoARetiredVersionIs4xxNamingItsReplacement() async throws {
        let (fixture, experimentId, _) = try await Self.erasedFixture()
        // A deployment whose rollback target is retired (written before the erasure mapped it, say).
        let deployments = DeploymentStore(store: fixture.store)
        let (current, etag) = try #require(try await deployments.current(experimentId))
        var next = current
        next.generation += 1
        next.previous = current.versions.mapValues { _ in ModelVersion("v0.1.0")! }
        let audit = DeploymentAudit(
            action: "switch", actor: "test", at: fixture.clock.now(), generation: next.generation,
            from: current.versions,
            to: next.versions, requestId: nil)
        try await deployments.swap(next, expecting: etag, audit: audit)
        let response = try await fixture.call("rollbackModel")
        #expect(response.status == 400)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("model version v0.1.0 was retired by a rider erasure; use v0.1.1"), "\(text)")
        #expect(try await deployments.current(experimentId)?.0 == next)
    }
}
