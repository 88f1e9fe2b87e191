// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "migledger",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "migledger", targets: ["migledger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2",
                       providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPgQuery", providers: [.apt(["libpg-query-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .target(name: "MigCore", swiftSettings: strict),
        .target(name: "MigGit", dependencies: ["CGit2", "CZlib", "COpenSSL", "MigCore"], swiftSettings: strict),
        .target(name: "MigFormats", dependencies: ["MigCore"], swiftSettings: strict),
        .target(name: "MigSQL", dependencies: ["CPgQuery", "MigCore", "MigFormats"], swiftSettings: strict),
        .target(name: "MigPolicy",
                dependencies: ["MigCore", "Yams",
                               .product(name: "OrderedCollections", package: "swift-collections")],
                swiftSettings: strict,
                plugins: ["EmbedPresetsPlugin"]),
        .target(name: "MigLedger",
                dependencies: ["MigCore", "MigGit", "MigPolicy"],
                swiftSettings: strict),
        .target(name: "MigReport", dependencies: ["MigCore"], swiftSettings: strict),
        .target(name: "MigPostgres", dependencies: ["CLibPQ", "MigCore"], swiftSettings: strict),
        .target(name: "MigRules", dependencies: ["MigCore", "MigFormats", "MigSQL", "MigPolicy"], swiftSettings: strict),
        .target(name: "MigHTTP", dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "MigForge", dependencies: ["MigCore", "MigGit", "MigHTTP"], swiftSettings: strict),
        .target(name: "MigledgerKit",
                dependencies: ["MigCore", "MigGit", "MigFormats", "MigPolicy", "MigLedger", "MigReport", "MigRules", "MigSQL", "CCurl", "CPgQuery",
                               "MigForge", "MigHTTP", "MigPostgres",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .executableTarget(name: "migledger",
                          dependencies: ["MigledgerKit", "MigPolicy", "MigCore", "MigReport", "MigLedger", "MigGit", "MigForge", "MigPostgres",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: strict),

        .executableTarget(name: "EmbedPresets", swiftSettings: strict),
        .plugin(name: "EmbedPresetsPlugin", capability: .buildTool(), dependencies: ["EmbedPresets"]),

        .target(name: "TestSupport", dependencies: ["MigCore"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "MigGitTests", dependencies: ["MigGit", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigPolicyTests", dependencies: ["MigPolicy", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigFormatsTests", dependencies: ["MigFormats", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigSQLTests", dependencies: ["MigSQL", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigLedgerTests", dependencies: ["MigLedger", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigReportTests", dependencies: ["MigReport", "TestSupport"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "MigPostgresTests", dependencies: ["MigPostgres", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigRulesTests", dependencies: ["MigRules", "MigPolicy", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "MigledgerKitTests",
                    dependencies: ["MigledgerKit", "MigReport", "migledger", "TestSupport", "MigHTTP"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "MigForgeTests", dependencies: ["MigForge", "MigHTTP", "MigGit", "TestSupport"], swiftSettings: strict),
    ]
)
