// swift-tools-version:6.1
// nasc: a neural architecture search compiler and runtime.
// Dependencies point one way (docs/architecture.md; Tests/NASCToolTests/ArchitectureTests.swift checks the imports):
// NASCIR <- NASCPasses <- (frontend, strategies, experiment) <- NASCTool <- nasc; the runtime (NASCIR, kernels, data)
// only runs plans and never sees the passes; kernels see neither the IR nor the passes.
import PackageDescription

/// Kernels need a real vector ISA in release builds (see docs/build.md).
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native"], .when(configuration: .release)),
]

/// The recurrent kernels are optimized in debug builds too: their unoptimized SIMD gate math runs about 20x slower,
/// too slow for the training runs in `make test`.
let recurrentKernelFlags: [SwiftSetting] = kernelFlags + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "nasc",
    products: [
        .executable(name: "nasc", targets: ["nasc"]),
        .library(name: "NASCIR", targets: ["NASCIR"]),
        .library(name: "NASCPasses", targets: ["NASCPasses"]),
        // For the libFuzzer package in Tests/Fuzz (`make fuzz`).
        .library(name: "NASCFuzzTargets", targets: ["NASCFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // The graph IR, its text and protobuf forms, the search space and the plan schema.
        .target(
            name: "NASCIR",
            dependencies: [
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "BigInt", package: "BigInt"),
            ],
            path: "IR",
            exclude: ["Schema"]
        ),
        // Passes over the IR: one pass per file, a registry and a pass manager.
        .target(name: "NASCPasses", dependencies: ["NASCIR"], path: "Passes"),
        // The .nas space language: lexer, parser, elaboration into the IR.
        .target(name: "NASCFrontend", dependencies: ["NASCIR", "NASCPasses"], path: "Sources/NASCFrontend"),
        // OpenBLAS through a system-library target.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Numeric kernels (forward and backward), each tested against a naive reference.
        .target(name: "NASCKernels", dependencies: ["COpenBLAS"], path: "Sources/NASCKernels", swiftSettings: kernelFlags),
        // The recurrent layers' kernels (LSTM, GRU) and their SIMD vector math, compiled optimized in every build.
        .target(name: "NASCRecurrentKernels", dependencies: ["COpenBLAS", "NASCKernels"], path: "Sources/NASCRecurrentKernels",
                swiftSettings: recurrentKernelFlags),
        // Data sets: IDX, CIFAR-10 binary, CSV, synthetic; normalization, shuffling, batching, augmentation.
        .target(name: "NASCData", dependencies: ["NASCIR"], path: "Sources/NASCData"),
        // The executor: walks a plan and dispatches to kernels; optimizers, schedules, checkpoints, training loop.
        // It only runs plans: plans come from the pipelines in NASCPasses (PlanCompiler, SupernetCompiler).
        .target(
            name: "NASCRuntime",
            dependencies: ["NASCIR", "NASCKernels", "NASCRecurrentKernels", "NASCData"],
            path: "Sources/NASCRuntime",
            swiftSettings: kernelFlags
        ),
        // Multi-trial and one-shot search strategies (ask/tell), over the search space.
        .target(
            name: "NASCStrategies",
            dependencies: ["NASCIR", "NASCPasses", "NASCRuntime", "NASCData", .product(name: "BigInt", package: "BigInt")],
            path: "Sources/NASCStrategies"
        ),
        // Experiments: the on-disk store (SQLite via GRDB), trial processes, resume, limits and export.
        .target(
            name: "NASCExperiment",
            dependencies: ["NASCIR", "NASCPasses", "NASCStrategies", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/NASCExperiment"
        ),
        // TensorBoard event files: TFRecord framing, CRC-32C, trimmed Event/Summary/HParams protos (generated, committed).
        .target(
            name: "NASCBoard",
            dependencies: ["NASCIR", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Sources/NASCBoard",
            exclude: ["Schema"]
        ),
        // ONNX: the schema's generated code (from the onnx wheel's onnx.proto), export of a flat subnet, import to .nas.
        .target(
            name: "NASCONNX",
            dependencies: ["NASCIR", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            path: "Sources/NASCONNX",
            exclude: ["Schema"]
        ),
        // The library behind the CLI verbs: everything a command does, testable without a process.
        .target(
            name: "NASCTool",
            dependencies: [
                "NASCIR", "NASCPasses", "NASCFrontend", "NASCRuntime", "NASCData", "NASCKernels", "NASCStrategies", "NASCExperiment",
                "NASCBoard", "NASCONNX",
                .product(name: "BigInt", package: "BigInt"),
            ],
            path: "Sources/NASCTool"
        ),
        // The `nasc` command: one file per verb, a thin layer over NASCTool.
        .executableTarget(
            name: "nasc",
            dependencies: ["NASCTool", "NASCIR", "NASCPasses", "NASCExperiment",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/nasc"
        ),
        // The entry functions of the fuzz targets (driven by libFuzzer in Tests/Fuzz, replayed by NASCToolTests).
        .target(name: "NASCFuzzTargets", dependencies: ["NASCIR", "NASCPasses", "NASCFrontend", "NASCData"],
                path: "Sources/NASCFuzzTargets"),
        // The benchmark harness (`make bench`): times nasc against ../shared/bench/torch_ref.py.
        .executableTarget(
            name: "nasc-bench",
            dependencies: ["NASCRuntime", "NASCKernels", "NASCPasses", "NASCIR"],
            path: "Sources/nasc-bench",
            swiftSettings: kernelFlags
        ),
        .testTarget(name: "NASCIRTests", dependencies: ["NASCIR"], path: "Tests/NASCIRTests", exclude: ["Inputs"]),
        .testTarget(name: "NASCPassesTests", dependencies: ["NASCIR", "NASCPasses"], path: "Tests/NASCPassesTests", exclude: ["Golden"]),
        .testTarget(name: "NASCFrontendTests", dependencies: ["NASCFrontend", "NASCIR", "NASCPasses"], path: "Tests/NASCFrontendTests", exclude: ["Diagnostics"]),
        .testTarget(name: "NASCKernelsTests", dependencies: ["NASCKernels", "NASCRecurrentKernels"], path: "Tests/NASCKernelsTests", exclude: ["Fixtures"]),
        .testTarget(name: "NASCDataTests", dependencies: ["NASCData", "NASCIR"], path: "Tests/NASCDataTests"),
        .testTarget(name: "NASCRuntimeTests", dependencies: ["NASCRuntime", "NASCKernels", "NASCIR", "NASCPasses", "NASCData"],
                    path: "Tests/NASCRuntimeTests", exclude: ["Fixtures"]),
        .testTarget(name: "NASCStrategiesTests", dependencies: ["NASCStrategies", "NASCIR", "NASCPasses", "NASCRuntime", "NASCData"],
                    path: "Tests/NASCStrategiesTests"),
        .testTarget(name: "NASCExperimentTests", dependencies: ["NASCExperiment", "NASCStrategies", "NASCIR"],
                    path: "Tests/NASCExperimentTests"),
        .testTarget(name: "NASCToolTests", dependencies: ["NASCTool", "NASCIR", "NASCFrontend", "NASCExperiment", "NASCRuntime", "NASCBoard",
                                                          "NASCONNX", "NASCFuzzTargets", "NASCPasses"],
                    path: "Tests/NASCToolTests", exclude: ["Fixtures"]),
    ]
)
