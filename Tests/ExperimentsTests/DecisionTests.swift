import Experiments
import Foundation
import Testing

@Suite("Experiment decision and summary")
struct DecisionTests {
    let definition = try! ExperimentDefinition(id: "rec-model-ab")
    let window = try! AnalysisWindow(hours: 24)
    let healthy = GuardrailMetrics(requests: 10_000, errors: 50, p95LatencyMs: 40)

    private func summary(
        _ control: (Int, Int), _ treatment: (Int, Int), guardrails: (GuardrailMetrics?, GuardrailMetrics?)? = nil,
        policy: DecisionPolicy = DecisionPolicy()
    ) throws -> ExperimentSummary {
        try ExperimentDecision.evaluate(
            definition: definition, window: window,
            counts: [
                try ConversionCounts(variant: "control", users: control.0, conversions: control.1),
                try ConversionCounts(variant: "treatment", users: treatment.0, conversions: treatment.1),
            ], guardrails: guardrails ?? (healthy, healthy), policy: policy)
    }

    @Test func decisionRawValuesAreTheAPIStrings() {
        #expect(Decision.ship.rawValue == "ship")
        #expect(Decision.rollback.rawValue == "rollback")
        #expect(Decision.keepRunning.rawValue == "keep-running")
    }

    @Test func clearImprovementShipsAndClearHarmRollsBack() throws {
        let better = try summary((10_000, 1000), (10_000, 1300))
        #expect(better.decision == .ship, "\(better.reason)")
        #expect(try #require(better.test.alwaysValidPValue) < 0.05)
        let worse = try summary((10_000, 1300), (10_000, 1000))
        #expect(worse.decision == .rollback, "\(worse.reason)")
    }

    @Test func alwaysValidIsStricterThanFixedHorizon() throws {
        // z ≈ 2.07 (p ≈ 0.038) but the mSPRT evidence is weak (always-valid p ≈ 0.4).
        let alwaysValid = try summary((10_000, 1000), (10_000, 1090))
        #expect(alwaysValid.decision == .keepRunning)
        #expect(try #require(alwaysValid.test.pValue) < 0.05)
        #expect(try #require(alwaysValid.test.alwaysValidPValue) > 0.05)
        #expect(alwaysValid.reason.contains("more users needed"))
        let fixed = try summary((10_000, 1000), (10_000, 1090), policy: DecisionPolicy(basis: .fixedHorizon))
        #expect(fixed.decision == .ship)
    }

    @Test func sampleRatioMismatchBlocksShipAndRollback() throws {
        let srm = try summary((5200, 500), (4800, 1000))
        #expect(srm.srm.value?.detected == true)
        #expect(srm.decision == .keepRunning)
        #expect(srm.reason.contains("Sample ratio mismatch"))
        let badGuardrail = GuardrailMetrics(requests: 10_000, errors: 900, p95LatencyMs: 40)
        #expect(try summary((5200, 500), (4800, 500), guardrails: (healthy, badGuardrail)).decision == .keepRunning)
    }

    @Test func guardrailBreachesRollBack() throws {
        let errors = GuardrailMetrics(requests: 10_000, errors: 300, p95LatencyMs: 40)  // 3% vs 0.5%
        let byErrors = try summary((10_000, 1000), (10_000, 1300), guardrails: (healthy, errors))
        #expect(byErrors.decision == .rollback)
        #expect(byErrors.reason.contains("error rate"))
        let slow = GuardrailMetrics(requests: 10_000, errors: 50, p95LatencyMs: 49)  // +22.5%
        let byLatency = try summary((10_000, 1000), (10_000, 1000), guardrails: (healthy, slow))
        #expect(byLatency.decision == .rollback)
        #expect(byLatency.guardrails.checks.contains { $0.name == "p95LatencyMs" && $0.status == .breached })
        // +1.5 points of errors on 300 requests is not credible evidence (Wald lower bound ≤ 0): no rollback.
        let noisy = try summary(
            (10_000, 1000), (10_000, 1000),
            guardrails: (
                GuardrailMetrics(requests: 300, errors: 3, p95LatencyMs: 40),
                GuardrailMetrics(requests: 300, errors: 8, p95LatencyMs: 41)
            ))
        #expect(noisy.decision == .keepRunning)
    }

    @Test func shipWaitsForGuardrailData() throws {
        let unknown = try summary((10_000, 1000), (10_000, 1300), guardrails: (nil, nil))
        #expect(unknown.decision == .keepRunning)
        #expect(unknown.reason.contains("guardrails could not be evaluated"))
    }

    @Test func smallAndEmptyExperimentsKeepRunning() throws {
        let empty = try summary((0, 0), (0, 0))
        #expect(empty.decision == .keepRunning)
        #expect(empty.test.z == nil && empty.minimumDetectableEffect.insufficientDataReason != nil)
        let oneArm = try summary((500, 50), (0, 0))
        #expect(oneArm.decision == .keepRunning)
        let tiny = try summary((20, 0), (20, 20))
        #expect(tiny.decision == .keepRunning)
        #expect(tiny.reason.contains("at least 100 users"))
        let huge = try summary((1_000_000_000, 100_000_000), (1_000_000_000, 100_000_000))
        #expect(huge.decision == .keepRunning)
        for result in [empty, oneArm, tiny, huge] {
            #expect(throws: Never.self) { _ = try JSONEncoder().encode(result) }
        }
    }

    @Test func badInputIsTypedErrors() throws {
        #expect(throws: ExperimentsError.self) { try AnalysisWindow(hours: 0) }
        #expect(throws: ExperimentsError.self) { try AnalysisWindow(hours: 721) }
        #expect(throws: ExperimentsError.invalidParameter(name: "alpha", value: 2, expected: "0 < α < 1")) {
            try summary((10, 1), (10, 1), policy: DecisionPolicy(alpha: 2))
        }
        #expect(throws: ExperimentsError.self) {
            try summary((10, 1), (10, 1), policy: DecisionPolicy(mixingVariance: 0))
        }
        let threeWay = try ExperimentDefinition(id: "x", weights: [("a", 0.3), ("b", 0.3), ("c", 0.4)])
        #expect(throws: ExperimentsError.unsupportedVariantCount(3)) {
            try ExperimentDecision.evaluate(definition: threeWay, window: window, counts: [])
        }
        #expect(throws: ExperimentsError.self) {
            try ExperimentDecision.evaluate(
                definition: definition, window: window,
                counts: [try ConversionCounts(variant: "mystery", users: 1, conversions: 0)])
        }
    }

    @Test func jsonFieldNamesAreTheAPIContract() throws {
        let result = try summary((10_000, 1000), (10_000, 1300))
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        for key in [
            "experimentId", "window", "variants", "test", "srm", "guardrails", "decision", "reason",
            "minimumDetectableEffect", "usersNeeded",
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["decision"] as? String == "ship")
        let test = try #require(object["test"] as? [String: Any])
        for key in ["z", "pValue", "alwaysValidPValue", "difference", "lift", "basis"] {
            #expect(test[key] != nil, "missing test.\(key)")
        }
        let difference = try #require(test["difference"] as? [String: Any])
        #expect(Set(difference.keys) == ["estimate", "lower", "upper"])
        let srm = try #require(object["srm"] as? [String: Any])
        #expect(srm["chiSquare"] != nil && srm["pValue"] != nil && srm["detected"] as? Bool == false)
        let variant = try #require((object["variants"] as? [[String: Any]])?.first)
        #expect(variant["name"] as? String == "control" && variant["conversionRate"] as? Double == 0.1)
        // Undefined numbers are explicit nulls, not missing keys.
        let empty = try JSONSerialization.jsonObject(with: JSONEncoder().encode(try summary((0, 0), (0, 0))))
        let emptyTest = try #require((empty as? [String: Any])?["test"] as? [String: Any])
        #expect(emptyTest["z"] is NSNull)
    }

    @Test func alwaysValidStateCarriesAcrossPolls() throws {
        var state = AlwaysValidState()
        var pValues: [Double] = []
        for (treatmentConversions, _) in [(1300, 0), (1000, 0)] {
            let result = try ExperimentDecision.evaluate(
                definition: definition, window: window,
                counts: [
                    try ConversionCounts(variant: "control", users: 10_000, conversions: 1000),
                    try ConversionCounts(variant: "treatment", users: 10_000, conversions: treatmentConversions),
                ], guardrails: (healthy, healthy), previousState: state)
            state = result.alwaysValidState
            pValues.append(try #require(result.test.alwaysValidPValue))
        }
        // Evidence once seen is kept: the second, null-looking poll still reports the first poll's p-value.
        #expect(pValues[1] == pValues[0] && state.looks == 2)
    }
}
