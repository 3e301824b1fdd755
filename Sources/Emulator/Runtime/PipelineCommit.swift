import Foundation

/// The commit a trained model records as its pipeline's lineage.
package enum PipelineCommit {
    /// `PIPELINE_GIT_SHA`, else the checkout's HEAD (a developer training from the repository), else `unknown`.
    package static func sha(_ environment: [String: String]) -> String {
        if let sha = environment["PIPELINE_GIT_SHA"], !sha.isEmpty { return sha }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "rev-parse", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        guard (try? git.run()) != nil else { return "unknown" }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        let sha = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return git.terminationStatus == 0 && sha.count == 40 ? sha : "unknown"
    }
}
