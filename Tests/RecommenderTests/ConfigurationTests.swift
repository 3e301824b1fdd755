import Foundation
import Testing

@testable import Recommender

@Suite("Model configuration")
struct ConfigurationTests {
    @Test(
        "hyperparameters round-trip through the dictionary and JSON forms",
        arguments: [
            ModelConfiguration.popularity,
            .ials(
                ALSConfiguration(
                    factors: 32, regularization: 0.1, frequencyScaling: 0.5, alpha: 3,
                    iterations: 7, conjugateGradientSteps: 0, seed: 123_456_789)),
            .ease(EASEConfiguration(regularization: 42)),
        ])
    func roundTrip(configuration: ModelConfiguration) throws {
        let rebuilt = try ModelConfiguration(
            algorithm: configuration.algorithm, hyperparameters: configuration.hyperparameters)
        #expect(rebuilt == configuration)
        let json = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(ModelConfiguration.self, from: json) == configuration)
        #expect(String(data: json, encoding: .utf8)!.contains("\"algorithm\":\"\(configuration.algorithm.rawValue)\""))
    }

    @Test("missing names take defaults; unknown names and bad values are rejected")
    func validation() throws {
        #expect(try ModelConfiguration(algorithm: .ials, hyperparameters: [:]) == .ials(ALSConfiguration()))
        #expect(throws: RecommenderError.self) {
            try ModelConfiguration(algorithm: .ials, hyperparameters: ["factorz": 3])
        }
        #expect(throws: RecommenderError.self) {
            try ModelConfiguration(algorithm: .ials, hyperparameters: ["factors": 2.5])
        }
        #expect(throws: RecommenderError.self) {
            try ModelConfiguration(algorithm: .ease, hyperparameters: ["regularization": -1])
        }
        let json = Data(#"{"algorithm":"ials","hyperparameters":{"factors":16,"alpha":2}}"#.utf8)
        guard case .ials(let als) = try JSONDecoder().decode(ModelConfiguration.self, from: json) else {
            Issue.record("wrong algorithm")
            return
        }
        #expect(als.factors == 16 && als.alpha == 2 && als.iterations == ALSConfiguration().iterations)
    }
}
