import Foundation
import Storage
import Testing

@testable import Recommender

@Suite("model erasure stopped at every write, then run again")
struct ModelErasureCrashTests {
    typealias Scenario = ErasureScenario

    @Test func everyInterruptedRunEndsLikeAnUninterruptedOne() async throws {
        let scenario = try Scenario()
        let reference = try StoreFixture()
        try await scenario.populate(reference.store)
        let counting = FaultyStore(reference.store, failAt: nil)
        let expectedPatches = try await ModelErasure(store: counting).eraseRider(
            Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now)
        let expected = try await Scenario.contents(of: reference.store, root: reference.root)
        let writes = counting.writes
        #expect(writes >= 8)  // two patches (artifact, metadata), a switch (deployment, audit), two retirements

        for mode in FaultyStore.Mode.allCases {
            for failAt in 0..<writes {
                let fixture = try StoreFixture()
                try await scenario.populate(fixture.store)
                let faulty = FaultyStore(fixture.store, failAt: failAt, mode: mode)
                await #expect(throws: FaultyStore.Crash.self, "\(mode) write \(failAt)") {
                    try await ModelErasure(store: faulty).eraseRider(
                        Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now)
                }
                let patches = try await ModelErasure(store: fixture.store).eraseRider(
                    Scenario.rider, erasureId: Scenario.erasureId, now: Scenario.now)
                #expect(patches == expectedPatches, "\(mode) write \(failAt)")
                let contents = try await Scenario.contents(of: fixture.store, root: fixture.root)
                #expect(contents.keys.sorted() == expected.keys.sorted(), "\(mode) write \(failAt)")
                for (key, data) in expected where contents[key] != data {
                    Issue.record("\(mode) write \(failAt): \(key) differs")
                }
            }
        }
    }
}
