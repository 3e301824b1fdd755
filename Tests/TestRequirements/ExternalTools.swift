import Foundation

/// The programs the tests look for, and the requirements built on them.
public enum ExternalTools {
    /// The Python interpreter the tests run: `RIDEEASE_TEST_PYTHON` when set (point it at a missing file to see
    /// the tests that need Python skip), else `python3` on `PATH`.
    public static let python: String? = {
        if let chosen = ProcessInfo.processInfo.environment["RIDEEASE_TEST_PYTHON"] {
            return FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil
        }
        return executable(named: "python3")
    }()

    /// The first executable called `name` on `PATH`.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// True when ``python`` exists and can import every module in `modules`.
    public static func pythonCanImport(_ modules: [String]) -> Bool {
        guard let python else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import " + modules.joined(separator: ", ")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

extension ExternalRequirement {
    /// The statistics references (Tests/ExperimentsTests/Reference) import statsmodels and scipy.
    public static let pythonStatistics = ExternalRequirement(
        "python3 with statsmodels and scipy",
        installHint: "scripts/install-test-deps.sh installs them (pip install statsmodels scipy)"
    ) { ExternalTools.pythonCanImport(["statsmodels", "scipy"]) }

    /// The assignment reference imports GrowthBook's Python SDK.
    public static let pythonGrowthBook = ExternalRequirement(
        "python3 with growthbook",
        installHint: "scripts/install-test-deps.sh installs it (pip install growthbook)"
    ) { ExternalTools.pythonCanImport(["growthbook"]) }

    /// The ranking-agreement reference imports the `rbo` package (rank-biased overlap).
    public static let pythonRbo = ExternalRequirement(
        "python3 with rbo",
        installHint: "scripts/install-test-deps.sh installs it (pip install rbo)"
    ) { ExternalTools.pythonCanImport(["rbo"]) }

    /// The S3 tests run a real moto server.
    public static let moto = ExternalRequirement(
        "python3 with moto[server] (a real S3-compatible server)",
        installHint: "scripts/install-test-deps.sh installs it (pip install 'moto[server]')"
    ) { ExternalTools.pythonCanImport(["moto.server"]) }

    /// SigV4 signatures are compared with botocore's.
    public static let botocore = ExternalRequirement(
        "python3 with botocore",
        installHint: "scripts/install-test-deps.sh installs it (pip install botocore)"
    ) { ExternalTools.pythonCanImport(["botocore.auth"]) }

    /// The README's commands are curl commands run by /bin/sh.
    public static let curl = ExternalRequirement(
        "curl",
        installHint: "scripts/install-test-deps.sh installs it (apt-get install curl)"
    ) { ExternalTools.executable(named: "curl") != nil }
}
