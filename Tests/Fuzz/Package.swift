// swift-tools-version:6.1
// nasc-fuzz: libFuzzer drivers over NASCFuzzTargets. Built only by `make fuzz` / `scripts/fuzz.sh`:
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --scratch-path .build-fuzz
import PackageDescription

let package = Package(
    name: "nasc-fuzz",
    dependencies: [.package(name: "nasc", path: "../..")],
    targets: [
        // One binary; NASC_FUZZ_TARGET selects the target (nas, textir, proto, arch, idx, csv).
        .executableTarget(
            name: "nasc-fuzz",
            dependencies: ["CFuzzerDriver", .product(name: "NASCFuzzTargets", package: "nasc")],
            path: "Sources/nasc-fuzz"
        ),
        // Declares libFuzzer's LLVMFuzzerRunDriver.
        .target(name: "CFuzzerDriver", path: "Sources/CFuzzerDriver"),
    ]
)
