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
        .executable(name: "rideease", targets: ["Emulator"])
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "Emulator",
            dependencies: [
                "FunctionRuntime",
                "Offload",
                "Functions",
                "Scheduler",
                "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "StorageBench",
            dependencies: ["Storage"],
            path: "bench/storage-bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "RecommenderBench",
            dependencies: ["Recommender"],
            path: "bench/recommender-bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ArtifactBench",
            dependencies: ["Recommender", "Storage"],
            path: "bench/artifact-bench",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ExperimentsBench",
            dependencies: [
                "Functions", "FunctionRuntime", "Storage", "Scheduler",
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "bench/experiments-bench",
            swiftSettings: strict
        ),
        .testTarget(name: "OffloadTests", dependencies: ["Offload"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Offload", "Storage"], swiftSettings: strict),
        .testTarget(
            name: "RecommenderTests", dependencies: ["Offload", "Recommender", "Storage"], swiftSettings: strict),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments"], swiftSettings: strict),
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
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EmulatorTests",
            dependencies: [
                "Emulator",
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
    ]
)
