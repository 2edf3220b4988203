// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "breakglass",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "breakglass", targets: ["breakglass"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // Untrusted input: bounded reads of regular files only, terminal-safe text.
        .target(name: "SafeInput"),
        // Graph resources, the snapshot format and the directory index.
        .target(name: "EntraModel", dependencies: ["SafeInput"]),
        // Conditional Access evaluation.
        .target(name: "AccessPolicy", dependencies: ["EntraModel"]),
        // Failure scenarios, the admin-path matrix and the policy-as-code gate.
        .target(name: "Lockout", dependencies: ["EntraModel", "AccessPolicy", "SafeInput"]),
        // Tier-0 analysis: who can take over or lock out the emergency accounts, with evidence per hop (no I/O).
        .target(name: "Paths", dependencies: ["EntraModel"]),
        // The check catalogue, configuration and the embedded demo tenant (BG070 reads Lockout's scenarios; BG023 and
        // BG024 read the tier-0 paths).
        .target(
            name: "Posture",
            dependencies: [
                "EntraModel", "AccessPolicy", "Lockout", "Paths", "SafeInput", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The synthetic-tenant generator behind `breakglass bench`.
        .target(name: "Bench", dependencies: ["EntraModel"]),
        // memmem(3) for Swift: the byte search behind `logs scan`.
        .target(name: "CStringSearch"),
        // Azure Monitor, Sentinel and KQL exports for the emergency accounts; scanning downloaded sign-in and audit logs.
        .target(
            name: "Monitoring",
            dependencies: [
                "EntraModel", "CStringSearch", "SafeInput", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Renderers of audit results and of the runbook (Mustache templates).
        .target(
            name: "Reports",
            dependencies: ["Posture", "EntraModel", "Paths", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // Passwords, Shamir k-of-n shares and the hash-chained ledger.
        .target(
            name: "Custody",
            dependencies: [
                "SafeInput",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Provisioning and rotation: plans from the tenant and the configuration, custodian approvals, the resumable
        // apply that writes through Graph, ARM and Key Vault and records every step in the custody ledger.
        .target(
            name: "Provision",
            dependencies: [
                "EntraModel", "AccessPolicy", "Posture", "Custody", "Monitoring", "Graph",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Microsoft Graph: authentication, clouds, paging, throttling and capture (AsyncHTTPClient only here).
        .target(
            name: "Graph",
            dependencies: [
                "EntraModel",
                "SafeInput",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A Hummingbird server that plays Microsoft Graph from a snapshot (Hummingbird only here).
        .target(
            name: "GraphEmulator",
            dependencies: [
                "EntraModel", "AccessPolicy", "SafeInput",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The watch service: pollers, webhook intake, incidents, the outbox and notifiers, and the store (SQLite or
        // PostgreSQL, behind one interface).
        .target(
            name: "Watch",
            dependencies: [
                "EntraModel", "Posture", "Lockout", "Monitoring", "Graph", "Custody",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The web page, JSON API, webhook endpoint, health and metrics of the watch service (Hummingbird).
        .target(
            name: "Dashboard",
            dependencies: [
                "Watch", "EntraModel", "Posture", "Lockout", "Monitoring", "Graph", "Custody",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "breakglass",
            dependencies: [
                "EntraModel", "AccessPolicy", "Lockout", "Posture", "Reports", "Custody", "Bench", "Monitoring", "Graph",
                "GraphEmulator", "Provision", "SafeInput", "Watch", "Dashboard", "Paths",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BreakglassTests",
            dependencies: [
                "EntraModel", "AccessPolicy", "Lockout", "Posture", "Reports", "Custody", "Bench", "Monitoring", "Graph",
                "GraphEmulator", "Provision", "SafeInput", "Watch", "Dashboard", "Paths", "breakglass",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
