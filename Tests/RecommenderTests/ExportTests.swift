import Foundation
import Testing

@testable import Recommender

@Suite("Evaluation export")
struct ExportTests {
    @Test("one JSON object per line, keys in the documented order, strings escaped")
    func jsonLines() throws {
        let rows = [
            EvaluationRow(userId: "u\"1", heldOut: "place-0001", recommendations: ["place-0002", "é\n"], rank: 3),
            EvaluationRow(userId: "u2", heldOut: "x", recommendations: [], rank: 40),
        ]
        let text = try #require(String(data: EvaluationExport.jsonLines(rows), encoding: .utf8))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(lines[1] == #"{"userId":"u2","heldOut":"x","recommendations":[]}"#)
        struct Line: Decodable, Equatable {
            var userId: String
            var heldOut: String
            var recommendations: [String]
        }
        let decoded = try JSONDecoder().decode(Line.self, from: Data(lines[0].utf8))
        #expect(decoded == Line(userId: "u\"1", heldOut: "place-0001", recommendations: ["place-0002", "é\n"]))
    }

    @Test("written to a file handle, the export recomputes the reported metrics")
    func recompute() throws {
        let split = try LeaveOneOutSplit(interactions: Fixtures.planted(users: 40, items: 40), validation: false)
        let model = try TrainedModel.fit(split.train, configuration: .popularity)
        let report = OfflineEvaluator.evaluateTest(model, split: split)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).jsonl")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try EvaluationExport.write(report.rows, to: handle)
        try handle.close()
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        var hits = 0.0
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let held = try #require(object["heldOut"] as? String)
            let recommendations = try #require(object["recommendations"] as? [String])
            if recommendations.prefix(10).contains(held) { hits += 1 }
        }
        #expect(lines.count == report.evaluatedUsers)
        #expect(abs(hits / Double(lines.count) - report.overall.hitRate) < 1e-12)
    }
}
