import Experiments
import Foundation
import TestRequirements
import Testing

@Suite("Assignment (GrowthBook hash v2)")
struct AssignmentTests {
    @Test func fnv1aMatchesPublishedVectors() {
        // FNV spec test vectors (draft-eastlake-fnv): "" → basis, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
        #expect(GrowthBookHash.fnv1a32("") == 0x811C_9DC5)
        #expect(GrowthBookHash.fnv1a32("a") == 0xE40C_292C)
        #expect(GrowthBookHash.fnv1a32("foobar") == 0xBF9C_F968)
    }

    @Test func hashesUTF16CodeUnitsNotUTF8Bytes() {
        // "é" is one UTF-16 unit (0xE9) but two UTF-8 bytes: the hash must see 0xE9 once.
        let expected = (0x811C_9DC5 ^ UInt32(0xE9)) &* 0x0100_0193
        #expect(GrowthBookHash.fnv1a32("é") == expected)
    }

    @Test func assignmentIsStable() throws {
        let definition = try ExperimentDefinition(id: "rec-model-ab")
        for index in 0..<1000 {
            let userId = "user\(index)"
            #expect(definition.assign(userId: userId) == definition.assign(userId: userId))
        }
        #expect(definition.assign(userId: "user0")?.variant == "treatment")  // growthbook: n = 0.824
        #expect(definition.assign(userId: "user0")?.bucket == 0.824)
        #expect(definition.assign(userId: "") == nil)
    }

    @Test(arguments: [[0.5, 0.5], [0.1, 0.9], [0.2, 0.3, 0.5]])
    func splitIsWithinFiveSigmaOver100kUsers(weights: [Double]) throws {
        let variants = weights.enumerated().map { ExperimentVariant(name: "v\($0.offset)", weight: $0.element) }
        let definition = try ExperimentDefinition(id: "split-check", variants: variants)
        var counts = [Int](repeating: 0, count: weights.count)
        let users = 100_000
        for index in 0..<users {
            let assignment = try #require(definition.assign(userId: "rider-\(index)"))
            counts[assignment.variantIndex] += 1
        }
        for (count, weight) in zip(counts, weights) {
            // Binomial(n, w): mean n·w, sd √(n·w(1−w)); 5 sigma is a ~1-in-3.5-million false alarm.
            let sigma = (Double(users) * weight * (1 - weight)).squareRoot()
            #expect(abs(Double(count) - Double(users) * weight) <= 5 * sigma, "counts \(counts) for \(weights)")
        }
    }

    @Test func coverageExcludesTheRightShare() throws {
        let definition = try ExperimentDefinition(id: "coverage", coverage: 0.3)
        let users = 100_000
        let included = (0..<users).filter { definition.assign(userId: "u\($0)") != nil }.count
        let sigma = (Double(users) * 0.3 * 0.7).squareRoot()
        #expect(abs(Double(included) - 30_000) <= 5 * sigma)
        #expect(try ExperimentDefinition(id: "none", coverage: 0).assign(userId: "u1") == nil)
    }

    @Test func invalidDefinitionsAreTypedErrors() {
        #expect(throws: ExperimentsError.emptyIdentifier(field: "experiment id")) {
            try ExperimentDefinition(id: "")
        }
        #expect(throws: ExperimentsError.tooFewVariants(count: 1)) {
            try ExperimentDefinition(id: "x", weights: [("control", 1)])
        }
        #expect(throws: ExperimentsError.weightsDoNotSumToOne(sum: 0.9)) {
            try ExperimentDefinition(id: "x", weights: [("control", 0.5), ("treatment", 0.4)])
        }
        #expect(throws: ExperimentsError.invalidWeight(variant: "treatment", weight: -0.5)) {
            try ExperimentDefinition(id: "x", weights: [("control", 1.5), ("treatment", -0.5)])
        }
        #expect(throws: ExperimentsError.duplicateVariant(name: "a")) {
            try ExperimentDefinition(id: "x", weights: [("a", 0.5), ("a", 0.5)])
        }
        #expect(throws: ExperimentsError.invalidCoverage(1.5)) { try ExperimentDefinition(id: "x", coverage: 1.5) }
        #expect(throws: ExperimentsError.self) { try ExperimentDefinition(id: "x", coverage: .nan) }
        #expect(throws: ExperimentsError.self) {
            try ExperimentDefinition(id: "x", weights: [("a", .nan), ("b", 0.5)])
        }
        // Within 1e-9 is accepted (0.1 + 0.2 + 0.7 is not exactly 1 in binary).
        #expect((try? ExperimentDefinition(id: "x", weights: [("a", 0.1), ("b", 0.2), ("c", 0.7)])) != nil)
    }

    @Test func decodingValidatesAndDefaults() throws {
        let decoded = try JSONDecoder().decode(ExperimentDefinition.self, from: Data(#"{"id":"exp-1"}"#.utf8))
        #expect(decoded.seed == "exp-1")
        #expect(decoded.variantNames == ["control", "treatment"])
        #expect(decoded.coverage == 1)
        let bad = Data(#"{"id":"e","variants":[{"name":"a","weight":0.7},{"name":"b","weight":0.7}]}"#.utf8)
        #expect(throws: ExperimentsError.self) { try JSONDecoder().decode(ExperimentDefinition.self, from: bad) }
    }

    private struct GrowthBookReference: Decodable {
        struct Spec: Decodable {
            var id: String
            var seed: String?
            var variants: [[VariantField]]
            var coverage: Double
        }
        enum VariantField: Decodable {
            case name(String), weight(Double)
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let text = try? container.decode(String.self) {
                    self = .name(text)
                } else {
                    self = .weight(try container.decode(Double.self))
                }
            }
        }
        struct Row: Decodable {
            var experiment: Int
            var userId: String
            var seed: String
            var n: Double
            var variant: String?
        }
        var experiments: [Spec]
        var rows: [Row]
    }

    @Test(.requires(.pythonGrowthBook)) func equalsTheGrowthBookPythonPackage() throws {
        let reference = try PythonReference.load(
            GrowthBookReference.self, script: "experiments-growthbook-reference.py", requirement: .pythonGrowthBook)
        let definitions = try reference.experiments.map { spec in
            let variants = spec.variants.map { fields -> ExperimentVariant in
                guard case .name(let name) = fields[0], case .weight(let weight) = fields[1] else {
                    return ExperimentVariant(name: "?", weight: .nan)
                }
                return ExperimentVariant(name: name, weight: weight)
            }
            return try ExperimentDefinition(id: spec.id, seed: spec.seed, variants: variants, coverage: spec.coverage)
        }
        #expect(reference.rows.count > 10_000)
        var mismatches: [String] = []
        for row in reference.rows {
            let definition = definitions[row.experiment]
            let bucket = GrowthBookHash.bucket(seed: definition.seed, value: row.userId)
            let assignment = definition.assign(userId: row.userId)
            if definition.seed != row.seed || bucket != row.n || assignment?.variant != row.variant {
                mismatches.append(
                    "\(row.userId.debugDescription): n \(bucket) vs \(row.n), "
                        + "variant \(assignment?.variant ?? "nil") vs \(row.variant ?? "nil")")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
    }
}
