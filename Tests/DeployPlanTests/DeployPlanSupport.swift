import Foundation
import FunctionRuntime
import Functions
import Testing
import Yams

@testable import DeployPlan

/// Builds deployment plans from manifest text for the DeployPlan tests, and reads their YAML back as plain values.
enum DeployPlanSupport {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)
    static let serviceURL = "https://rideease-abc123-ew.a.run.app"

    /// The package root, found from this file's path (Tests/DeployPlanTests/…).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The repository's own manifest: the plan that ships must be made from it.
    static var repositoryManifest: String {
        get throws {
            try String(
                contentsOf: packageRoot.appendingPathComponent("functions.yaml"), encoding: .utf8)
        }
    }

    static func target(_ change: (inout DeployTarget) -> Void = { _ in }) -> DeployTarget {
        var target = DeployTarget(
            image: "europe-west1-docker.pkg.dev/rides-prod/rideease/rideease@\(digest)",
            project: "rides-prod",
            region: "europe-west1",
            storage: "gs://rides-prod-state/rideease",
            serviceURL: serviceURL,
            serviceAccount: "rideease-run@rides-prod.iam.gserviceaccount.com",
            schedulerServiceAccount: "rideease-scheduler@rides-prod.iam.gserviceaccount.com",
            gitSHA: "0123456789abcdef0123456789abcdef01234567"
        )
        change(&target)
        return target
    }

    static func planner(_ text: String, target: DeployTarget = target()) throws -> DeployPlanner {
        let manifest = try ManifestLoader(knownHandlers: FunctionCatalog.handlerNames).parse(text)
        return DeployPlanner(
            manifest: manifest, target: target, locator: ManifestLocator(text: text, file: "functions.yaml"))
    }

    /// The problems the planner reports; an empty list when it made a plan.
    static func problems(_ text: String, target: DeployTarget = target()) throws -> [String] {
        let planner = try planner(text, target: target)
        do {
            _ = try planner.plan()
            return []
        } catch {
            return error.problems
        }
    }

    /// Each document of the plan, parsed back from its YAML text as a generic mapping.
    static func documents(_ text: String, target: DeployTarget = target()) throws -> [String: [String: Any]] {
        let plan = try planner(text, target: target).plan()
        var parsed: [String: [String: Any]] = [:]
        for document in try plan.documents() {
            parsed[document.fileName] = try #require(try Yams.load(yaml: document.yaml) as? [String: Any])
        }
        return parsed
    }

    /// `functions.yaml:LINE:COL` of the first line containing `fragment`, column of the fragment itself.
    static func location(of fragment: String, in text: String) throws -> String {
        let lines = text.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.contains(fragment) })
        let column = try #require(lines[index].range(of: fragment)).lowerBound.utf16Offset(in: lines[index]) + 1
        return "functions.yaml:\(index + 1):\(column)"
    }

    /// Replaces exactly one occurrence of `old` in `text`, so a test cannot silently change nothing.
    static func replacing(_ old: String, with new: String, in text: String) throws -> String {
        try #require(text.components(separatedBy: old).count == 2, "\"\(old)\" must occur once")
        return text.replacingOccurrences(of: old, with: new)
    }
}

/// Reads a nested value out of parsed YAML by keys and list indexes.
func yamlValue(_ root: Any?, _ path: Any...) -> Any? {
    var node = root
    for step in path {
        if let key = step as? String {
            node = (node as? [String: Any])?[key]
        } else if let index = step as? Int, let list = node as? [Any], list.indices.contains(index) {
            node = list[index]
        } else {
            return nil
        }
    }
    return node
}
