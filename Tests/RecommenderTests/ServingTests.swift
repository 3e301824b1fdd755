import Testing

@testable import Recommender

@Suite("Popularity and serving")
struct ServingTests {
    let data = Fixtures.interactions([
        ("u1", "a", 0), ("u1", "b", 1), ("u2", "b", 0), ("u2", "c", 1), ("u3", "b", 0), ("u3", "c", 1),
        ("u3", "c", 2), ("u3", "c", 3),
    ])

    @Test("popularity counts distinct users, ties by item id")
    func popularity() throws {
        let model = try TrainedModel.fit(data, configuration: .popularity)
        #expect(model.popularity.counts == [1, 3, 2])  // repeat rides of u3 to c do not count
        let list = model.recommendations(forUser: "nobody", limit: 5)
        #expect(list.fallback && list.items.map(\.itemId) == ["b", "c", "a"])
    }

    @Test("unknown users fall back to popularity and say so", arguments: ArtifactTests.configurations)
    func fallback(configuration: ModelConfiguration) throws {
        let model = try TrainedModel.fit(Fixtures.planted(users: 30, items: 24), configuration: configuration)
        let unknown = model.recommendations(forUser: "new-rider", limit: 3)
        #expect(unknown.fallback && unknown.items.count == 3)
        #expect(!model.isKnown(userId: "new-rider") && model.isKnown(userId: "user-1000"))
        let known = model.recommendations(forUser: "user-1000", limit: 3)
        #expect(!known.fallback && known.items.count == 3)
    }

    @Test("exclusions: explicit ids always, training items on request")
    func exclusions() throws {
        let model = try TrainedModel.fit(data, configuration: .popularity)
        #expect(model.recommendations(forUser: "u1", limit: 3).items.map(\.itemId) == ["b", "c", "a"])
        #expect(model.recommendations(forUser: "u1", limit: 3, excludeSeen: true).items.map(\.itemId) == ["c"])
        let list = model.recommendations(forUser: "u1", limit: 3, excluding: ["c", "not-an-item"])
        #expect(list.items.map(\.itemId) == ["b", "a"])
        #expect(model.recommend(userId: "u2", k: 5).map(\.itemId) == ["a"])  // protocol default excludes seen
    }
}
