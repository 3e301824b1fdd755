// swift-tools-version:6.2
import PackageDescription

/// Every RideEase target is built in the Swift 6 language mode with warnings treated as errors.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "rideease",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rideease", targets: ["RideEase"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        .target(
            name: "Offload",
            swiftSettings: strict
        ),
        .target(
            name: "Storage",
            dependencies: [
                "Offload",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Scheduler",
            dependencies: [
                "Storage",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Recommender",
            dependencies: [
                "Offload",
                "Storage",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Training and scoring are numeric loops that run 30-50x slower unoptimised; the emulator and the tests
            // train real models, so this one module is optimised in debug builds too.
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(
            name: "Experiments",
            swiftSettings: strict
        ),
        .target(
            name: "FunctionRuntime",
            dependencies: [
                "Offload",
                "Storage",
                "Scheduler",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Functions",
            dependencies: [
                "Experiments",
                "FunctionRuntime",
                "Recommender",
                "Scheduler",
                "Storage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Console",
            dependencies: [
                "Experiments",
                "FunctionRuntime",
                "Functions",
                "Recommender",
                "Scheduler",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DeployPlan",
            dependencies: [
                "FunctionRuntime",
                "Recommender",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The host of a function bundle: runtime loading, the HTTP server, schedules, background tasks, logs and
        // metrics. The only module that imports Hummingbird; it mounts the console under /_console.
        .target(
            name: "Emulator",
            dependencies: [
                "Console",
                "FunctionRuntime",
                "Functions",
                "Offload",
                "Recommender",
                "Scheduler",
                "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // `rideease`: the command line over the libraries, one file per command in Commands/.
        .executableTarget(
            name: "RideEase",
            dependencies: [
                "Console",
                "DeployPlan",
                "Emulator",
                "FunctionRuntime",
                "Functions",
                "Recommender",
                "Scheduler",
                "Storage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "StorageBench",
            dependencies: ["Storage"],
            path: "Benchmarks/StorageBench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RecommenderBench",
            dependencies: ["Recommender"],
            path: "Benchmarks/RecommenderBench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ArtifactBench",
            dependencies: ["Recommender", "Storage"],
            path: "Benchmarks/ArtifactBench",
            swiftSettings: strict
        ),
        // Snapshot reads and trace lookups before and after compaction; bench/compaction-bench.sh.
        .executableTarget(
            name: "CompactionBench",
            dependencies: [
                "Functions", "FunctionRuntime", "Recommender", "Storage", "Scheduler",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Benchmarks/CompactionBench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ExperimentsBench",
            dependencies: [
                "Functions", "FunctionRuntime", "Storage", "Scheduler",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "Benchmarks/ExperimentsBench",
            swiftSettings: strict
        ),
        // Power of team-draft interleaving vs A/B (raw and CUPED) in the simulated ride world; bench/interleaving-power.sh.
        .executableTarget(
            name: "InterleavingBench",
            dependencies: ["Experiments", "Recommender"],
            path: "Benchmarks/InterleavingBench",
            swiftSettings: strict
        ),
        // What a test needs beyond the Swift toolchain (Python packages, moto, curl): such tests are skipped where it
        // is missing and fail in CI, which must run them all.
        .target(name: "TestRequirements", path: "Tests/TestRequirements", swiftSettings: strict),
        // A moto S3 server for the tests of every module that stores objects.
        .target(
            name: "StorageTestSupport", dependencies: ["Storage", "TestRequirements"], path: "Tests/StorageTestSupport",
            swiftSettings: strict),
        .testTarget(name: "OffloadTests", dependencies: ["Offload"], swiftSettings: strict),
        .testTarget(
            name: "StorageTests", dependencies: ["Offload", "Storage", "StorageTestSupport", "TestRequirements"],
            swiftSettings: strict),
        .testTarget(
            name: "RecommenderTests", dependencies: ["Offload", "Recommender", "Storage"], swiftSettings: strict),
        .testTarget(
            name: "ExperimentsTests",
            dependencies: ["Experiments", "TestRequirements"],
            exclude: ["Reference"],  // the Python reference scripts the tests run
            swiftSettings: strict
        ),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Storage"], swiftSettings: strict),
        .testTarget(
            name: "FunctionRuntimeTests",
            dependencies: [
                "FunctionRuntime",
                "Offload",
                "Scheduler",
                "Storage",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FunctionsTests",
            dependencies: [
                "Experiments",
                "Functions",
                "FunctionRuntime",
                "Recommender",
                "Scheduler",
                "Storage",
                "StorageTestSupport",
                "TestRequirements",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EmulatorTests",
            dependencies: [
                "Console",
                "Emulator",
                "TestRequirements",
                "FunctionRuntime",
                "Offload",
                "Functions",
                "Storage",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console",
                "Emulator",
                "FunctionRuntime",
                "Functions",
                "Recommender",
                "Storage",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DeployPlanTests",
            dependencies: [
                "DeployPlan",
                "FunctionRuntime",
                "Functions",
                .product(name: "Yams", package: "Yams"),
            ],
            exclude: ["Reference"],  // the boto3 + moto check the lifecycle test runs
            swiftSettings: strict
        ),
        // Runs the real `rideease` binary as a child process; depending on it makes `swift build --build-tests`
        // build it first.
        .testTarget(
            name: "RideEaseTests",
            dependencies: ["RideEase", "FunctionRuntime", "Functions", "TestRequirements"],
            swiftSettings: strict
        ),
    ]
)
