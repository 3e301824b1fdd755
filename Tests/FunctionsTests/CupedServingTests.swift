import Foundation
import FunctionRuntime
import Functions
import Testing

/// CUPED through the real handlers: riders' conversions before the experiment (from the event log) adjust the
/// A/B estimate, and the summary's figures are the ones the formulas give on the same riders.
@Suite("experiments: CUPED in the A/B summary")
struct CupedServingTests {
    @Test func theSummaryAdjustsByEachRidersPreExposureConversions() async throws {
        let fixture = try await ServingTests.servingFixture()
        let now = Int(fixture.clock.now().timeIntervalSince1970)
        // Riders 1-40 converted three days ago (history); 41-80 did not. Those with history convert again more.
        var history: [String] = []
        for index in 1...40 {
            history.append(
                #"{"type":"conversion","userId":"rider-\#(String(format: "%04d", index))","itemId":"place-0001","#
                    + #""requestId":"019abcde-0000-7000-8000-000000000000","timestamp":\#(now - 3 * 86_400)}"#)
        }
        #expect(try await fixture.call("ingestEvents", body: "[" + history.joined(separator: ",") + "]").status == 200)
        var riders: [(arm: String, y: Double, x: Double)] = []
        for index in 1...80 {
            let user = "rider-\(String(format: "%04d", index))"
            let answer = try fixture.json(try await fixture.call("recommend", body: #"{"userId":"\#(user)"}"#))
            let variant = try #require(answer["variant"] as? String)
            let requestId = try #require(answer["requestId"] as? String)
            let converts = index <= 40 ? index % 3 != 0 : index % 5 == 0
            if converts {
                let body =
                    #"{"type":"conversion","userId":"\#(user)","itemId":"place-0002","#
                    + #""requestId":"\#(requestId)","timestamp":\#(now)}"#
                #expect(try await fixture.call("ingestEvents", body: body).status == 200)
            }
            riders.append((variant, converts ? 1 : 0, index <= 40 ? 1 : 0))
        }
        await fixture.shutdown()
        let response = try await fixture.call("experimentSummary", pathParameters: ["experimentId": "rec-engine"])
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let summary = try fixture.json(response)
        let cuped = try #require(summary["cuped"] as? [String: Any], "\(summary)")
        #expect(cuped["ridersWithoutHistory"] as? Int == 40)
        #expect(cuped["preWindowDays"] as? Int == 14)

        // The same figures by the formulas: θ = cov(y, x) / var(x) over all riders, adjusted difference
        // (ȳT − ȳC) − θ (x̄T − x̄C).
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        let (ys, xs) = (riders.map(\.y), riders.map(\.x))
        let (my, mx) = (mean(ys), mean(xs))
        var (covariance, variance) = (0.0, 0.0)
        for (y, x) in zip(ys, xs) {
            covariance += (y - my) * (x - mx)
            variance += (x - mx) * (x - mx)
        }
        let theta = covariance / variance
        let arm = { (name: String) in riders.filter { $0.arm == name } }
        let raw = mean(arm("treatment").map(\.y)) - mean(arm("control").map(\.y))
        let adjusted = raw - theta * (mean(arm("treatment").map(\.x)) - mean(arm("control").map(\.x)))
        #expect(abs((cuped["theta"] as? Double ?? .nan) - theta) < 1e-9)
        #expect(abs(((cuped["raw"] as? [String: Any])?["estimate"] as? Double ?? .nan) - raw) < 1e-9)
        #expect(abs(((cuped["adjusted"] as? [String: Any])?["estimate"] as? Double ?? .nan) - adjusted) < 1e-9)
        #expect((cuped["correlation"] as? Double ?? 0) > 0.3, "history predicts conversion here")
        #expect((cuped["varianceReduction"] as? Double ?? 0) > 0)
        #expect(
            (cuped["adjustedStandardError"] as? Double ?? .infinity) < (cuped["rawStandardError"] as? Double ?? 0))
    }
}
