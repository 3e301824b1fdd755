import Experiments
import Foundation
import FunctionRuntime
import Recommender

/// The body of `POST /admin/experiments`, validated into a draft ``ExperimentRecord``.
///
/// `{"id","design":"ab"|"interleaving","variants":[{"name","weight","version"}],"coverage","metric":"conversion",
/// "cuped":{"preWindowDays":14}|null,"seed","exploration":{"epsilon","candidates"}}`; everything but `id` has a
/// default (A/B, control/treatment 50/50, full coverage, conversion, CUPED over 14 days, seed = id, no exploration).
/// Interleaving drafts one list from exactly a `control` and a `treatment` ranker, so it takes no weights other
/// than 50/50, no CUPED and no exploration.
struct ExperimentRequest: Decodable {
    /// A variant as sent: the weight may be left out, for an equal split.
    struct Variant: Decodable {
        var name: String
        var weight: Double?
        var version: String?
    }

    var id: String
    var design: String?
    var variants: [Variant]?
    var coverage: Double?
    var metric: String?
    var seed: String?
    /// Absent: the default; `null`: off.
    var cuped: CupedSettings??
    /// Absent or `null`: no exploration.
    var exploration: ExplorationSettings?

    private enum Key: String, CodingKey { case id, design, variants, coverage, metric, seed, cuped, exploration }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        id = try container.decode(String.self, forKey: .id)
        design = try container.decodeIfPresent(String.self, forKey: .design)
        variants = try container.decodeIfPresent([Variant].self, forKey: .variants)
        coverage = try container.decodeIfPresent(Double.self, forKey: .coverage)
        metric = try container.decodeIfPresent(String.self, forKey: .metric)
        seed = try container.decodeIfPresent(String.self, forKey: .seed)
        exploration = try container.decodeIfPresent(ExplorationSettings.self, forKey: .exploration)
        if container.contains(.cuped) {
            let off = try container.decodeNil(forKey: .cuped)
            cuped = .some(off ? nil : try container.decode(CupedSettings.self, forKey: .cuped))
        }
    }

    /// The draft record, or a 400 naming what is wrong.
    func record(at date: Date) throws(FunctionError) -> ExperimentRecord {
        if let problem = ExperimentRecordStore.problem(withId: id) { throw .invalidArgument(problem) }
        let designs = ExperimentDesign.allCases.map(\.rawValue)
        guard let design = ExperimentDesign(rawValue: self.design ?? "ab") else {
            throw .invalidArgument(
                "design \"\(self.design ?? "")\" is unknown; use one of: \(designs.joined(separator: ", "))")
        }
        let metric = self.metric ?? ExperimentRecord.metrics[0]
        guard ExperimentRecord.metrics.contains(metric) else {
            throw .invalidArgument(
                "metric \"\(metric)\" is unknown; use one of: \(ExperimentRecord.metrics.joined(separator: ", "))")
        }
        let sent =
            self.variants ?? ExperimentDefinition.defaultVariants.map { Variant(name: $0.name, weight: $0.weight) }
        let variants = sent.map {
            RecordedVariant(name: $0.name, weight: $0.weight ?? 1 / Double(sent.count), version: $0.version)
        }
        guard variants.count == 2 else {
            throw .invalidArgument(
                "an experiment compares one control with one treatment: give exactly 2 variants, not \(variants.count)")
        }
        for variant in variants {
            if let version = variant.version, ModelVersion(version) == nil {
                throw .invalidArgument(
                    "variant \"\(variant.name)\": version \"\(version)\" is not a model version like v0.2.0")
            }
        }
        var cuped = self.cuped ?? CupedSettings()
        if design == .interleaving {
            guard variants.map(\.name) == ["control", "treatment"] else {
                throw .invalidArgument("an interleaving experiment has exactly the variants control and treatment")
            }
            guard variants.allSatisfy({ $0.weight == 0.5 }) else {
                throw .invalidArgument(
                    "an interleaving experiment drafts every list from both rankers: weights must be 0.5 and 0.5")
            }
            if case .some(.some) = self.cuped {
                throw .invalidArgument("CUPED applies to A/B experiments; an interleaving experiment takes no cuped")
            }
            cuped = nil
            if exploration != nil {
                throw .invalidArgument(
                    "exploration applies to A/B experiments; an interleaving list is already randomised by its draft")
            }
        }
        if let problem = exploration?.problem { throw .invalidArgument(problem) }
        if let days = cuped?.preWindowDays, !CupedSettings.allowedDays.contains(days) {
            throw .invalidArgument("cuped.preWindowDays must be 1-60, not \(days)")
        }
        let coverage = self.coverage ?? 1
        do {
            // Validates names, weights (finite, non-negative, summing to 1: no overlapping ranges) and coverage.
            _ = try ExperimentDefinition(
                id: id, seed: seed, variants: variants.map { ExperimentVariant(name: $0.name, weight: $0.weight) },
                coverage: coverage)
        } catch {
            throw .invalidArgument(error.description)
        }
        return ExperimentRecord(
            id: id, design: design, seed: seed ?? id, variants: variants, coverage: coverage, metric: metric,
            cuped: cuped, status: .draft, createdAt: date, startedAt: nil, stoppedAt: nil, servedAfterStop: nil,
            finalSummary: nil, revision: 1, exploration: exploration)
    }
}
