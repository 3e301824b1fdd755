import Foundation
import Testing

@testable import Recommender

@Suite("removing one rider from a trained model")
struct RemovingUserTests {
    static let configurations: [ModelConfiguration] = [
        .popularity,
        .ials(ALSConfiguration(factors: 6, iterations: 3, seed: 9)),
        .ease(EASEConfiguration(regularization: 20)),
    ]

    static let interactions = Fixtures.planted(users: 48, items: 32, groups: 4, perUser: 6)

    /// The first, a middle and the last rider: the index shift matters for every position.
    static func erased(_ model: TrainedModel) -> [String] {
        [model.users.ids[0], model.users.ids[model.users.count / 2], model.users.ids[model.users.count - 1]]
    }

    /// A list as bits, so equality means bit-identical scores, not merely close ones.
    static func bits(_ list: RecommendationList) -> [String] {
        list.items.map { "\($0.itemId)=\($0.score.bitPattern)" } + ["fallback=\(list.fallback)"]
    }

    @Test(arguments: configurations)
    func everyOtherRiderGetsBitIdenticalRecommendations(_ configuration: ModelConfiguration) throws {
        let model = try TrainedModel.fit(Self.interactions, configuration: configuration)
        for userId in Self.erased(model) {
            let patched = try #require(model.removingUser(userId))
            #expect(patched.users.count == model.users.count - 1)
            #expect(patched.users.index(of: userId) == nil)
            for other in model.users.ids where other != userId {
                for excludeSeen in [false, true] {
                    let before = model.recommendations(
                        forUser: other, limit: model.items.count, excludeSeen: excludeSeen)
                    let after = patched.recommendations(
                        forUser: other, limit: model.items.count, excludeSeen: excludeSeen)
                    #expect(Self.bits(before) == Self.bits(after), "\(other) after removing \(userId)")
                }
            }
            let cold = patched.recommendations(forUser: userId, limit: 10)
            #expect(cold.fallback)
            #expect(Self.bits(cold) == Self.bits(model.recommendations(forUser: "never-rode-with-us", limit: 10)))
            #expect(!model.recommendations(forUser: userId, limit: 10).fallback)
        }
    }

    @Test(arguments: configurations)
    func theArtifactNoLongerHoldsTheRidersId(_ configuration: ModelConfiguration) throws {
        let model = try TrainedModel.fit(Self.interactions, configuration: configuration)
        for userId in Self.erased(model) {
            let needle = Data(userId.utf8)
            #expect(model.artifactData().range(of: needle) != nil)
            let patched = try #require(model.removingUser(userId))
            let bytes = patched.artifactData()
            #expect(bytes.range(of: needle) == nil)
            // Patching a loaded model (what an erasure does) gives the same artifact as patching the fitted one.
            let loaded = try TrainedModel(artifact: model.artifactData())
            let patchedLoaded = try #require(loaded.removingUser(userId))
            #expect(patchedLoaded.artifactData() == bytes)
            #expect(try TrainedModel(artifact: bytes) == patchedLoaded)
        }
    }

    @Test func theHistoryIsTheMatrixOfEveryoneElse() throws {
        let model = try TrainedModel.fit(Self.interactions, configuration: .popularity)
        for userId in Self.erased(model) {
            let patched = try #require(model.removingUser(userId))
            let others = try InteractionMatrix(
                interactions: Self.interactions.filter { $0.userId != userId }, items: model.items)
            // Both directions: CSR rows and the CSC columns with the later riders' indexes shifted down.
            #expect(patched.history == others)
            #expect(patched.history.itemUsers == others.itemUsers)
            // Item-level aggregates stay: the popularity counts still include the erased rider's rides.
            #expect(patched.popularity.counts == model.popularity.counts)
        }
    }

    @Test func anUnknownRiderGivesNil() throws {
        let model = try TrainedModel.fit(Self.interactions, configuration: .popularity)
        #expect(model.removingUser("never-rode-with-us") == nil)
        #expect(model.removingUser("") == nil)
    }
}
