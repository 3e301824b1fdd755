import Testing

@testable import Experiments

@Test func moduleBuilds() { _ = ExperimentsModule.self }
