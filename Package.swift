// swift-tools-version:6.0
import PackageDescription

/// Every target builds with the same settings.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "Kokemus",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kokemus", targets: ["kokemus"]),
        .library(name: "KokemusCore", targets: ["KokemusCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // SHA-256 and HMAC for the guard's fingerprints and the mail reply tokens (maintained,
        // instead of hand-written).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // Counters for operations (swift-metrics' API), exposed in Prometheus's text format
        // (served on a loopback port by a bounded server of our own: FlyingFox let a client
        // with a long header line take the cooperative threads, and SwiftNIO costs minutes).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure domain logic: registry, flows, engine, store. Knows no transport.
        .target(
            name: "KokemusCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                // The outbox runs as a service beside the channels.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            // The state directory's format, for people (beside the code that writes it).
            exclude: ["Store/FORMAT.md"],
            swiftSettings: swiftSettings
        ),
        // libcurl through typed wrappers for its variadic functions.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CurlKit",
            dependencies: ["CCurl"],
            swiftSettings: swiftSettings
        ),
        // The Matrix channel: client-server API over libcurl.
        .target(
            name: "KokemusMatrix",
            dependencies: [
                "KokemusCore",
                "CurlKit",
                .product(name: "Logging", package: "swift-log"),
                // The channel runs as a service beside the gateway's.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The e-mail channel: MIME parsing and composing, quote stripping, loop detection.
        .target(
            name: "KokemusMail",
            dependencies: [
                "KokemusCore",
                "CurlKit",
                .product(name: "Logging", package: "swift-log"),
                // The channel runs as a service beside the gateway's.
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // HMAC-SHA256 of reply tokens, from a maintained library.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The console channel and the demo driver.
        .target(
            name: "KokemusConsole",
            dependencies: ["KokemusCore"],
            swiftSettings: swiftSettings
        ),
        // /healthz, /readyz, /metrics and /status on a loopback port.
        .target(
            name: "KokemusStatus",
            dependencies: [
                "KokemusCore",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kokemus",
            dependencies: [
                "KokemusCore",
                "KokemusStatus",
                "KokemusConsole",
                "KokemusMatrix",
                "KokemusMail",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmarks on generated fictional data: `swift run -c release kokemus-bench --help`.
        .executableTarget(
            name: "kokemus-bench",
            dependencies: [
                "KokemusCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the test targets share: the channels' servers in memory (behind the `Mailbox`
        // and `MatrixAPI` protocols), for testing channel logic in Swift.
        .target(
            name: "KokemusTesting",
            dependencies: ["KokemusCore", "KokemusMail", "KokemusMatrix"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KokemusCoreTests",
            dependencies: ["KokemusCore", "KokemusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KokemusConsoleTests",
            dependencies: ["KokemusConsole", "KokemusCore", "KokemusStatus", "KokemusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KokemusMatrixTests",
            dependencies: ["KokemusMatrix", "KokemusCore", "KokemusTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KokemusMailTests",
            // It imports KokemusCore too: named, so that a change there rebuilds it.
            dependencies: ["KokemusMail", "KokemusCore", "KokemusTesting"],
            swiftSettings: swiftSettings
        ),
        // Fuzzing by property tests with fixed seeds over the corpus in Tests/Fixtures/fuzz.
        .testTarget(
            name: "FuzzTests",
            dependencies: ["KokemusCore", "KokemusMail", "KokemusMatrix"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CurlKitTests",
            dependencies: ["CurlKit"],
            swiftSettings: swiftSettings
        ),
    ]
)
