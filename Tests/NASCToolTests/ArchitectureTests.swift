// ArchitectureTests: the target layering of docs/architecture.md — Package.swift's dependency lists stay inside the
// allowed table, and every source file imports only modules its target declares (no leaks through transitive ones).
import Foundation
import Testing

@Suite struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The nasc modules each target may depend on (docs/architecture.md). The runtime only runs plans (no passes);
    /// kernels see neither the IR nor the passes; the front end reaches the passes through their public pipelines.
    static let allowed: [String: Set<String>] = [
        "NASCIR": [],
        "NASCPasses": ["NASCIR"],
        "NASCFrontend": ["NASCIR", "NASCPasses"],
        "NASCKernels": ["COpenBLAS"],
        "NASCRecurrentKernels": ["COpenBLAS", "NASCKernels"],
        "NASCData": ["NASCIR"],
        "NASCRuntime": ["NASCIR", "NASCKernels", "NASCRecurrentKernels", "NASCData"],
        "NASCStrategies": ["NASCIR", "NASCPasses", "NASCRuntime", "NASCData", "NASCKernels"],
        "NASCExperiment": ["NASCIR", "NASCPasses", "NASCStrategies"],
        "NASCBoard": ["NASCIR"],
        "NASCONNX": ["NASCIR"],
        "NASCFuzzTargets": ["NASCIR", "NASCPasses", "NASCFrontend", "NASCData"],
        "NASCTool": ["NASCIR", "NASCPasses", "NASCFrontend", "NASCRuntime", "NASCData", "NASCKernels", "NASCStrategies", "NASCExperiment",
                     "NASCBoard", "NASCONNX"],
        "nasc": ["NASCTool", "NASCIR", "NASCPasses", "NASCExperiment"],
        "nasc-bench": ["NASCRuntime", "NASCKernels", "NASCPasses", "NASCIR"],
    ]

    /// One target of Package.swift: its name, source directory and nasc dependencies (products of packages left out).
    struct Target {
        var name: String
        var path: String
        var dependencies: Set<String>
    }

    /// The targets of Package.swift with a `path:` (every nasc target has one), read textually.
    static func targets() throws -> [Target] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var out: [Target] = []
        let pattern = try NSRegularExpression(
            pattern: #"\.(?:testTarget|executableTarget|target)\(\s*name:\s*"([^"]+)",\s*dependencies:\s*\[(.*?)\],\s*path:\s*"([^"]+)""#,
            options: [.dotMatchesLineSeparators])
        let ns = text as NSString
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let deps = ns.substring(with: m.range(at: 2)).replacingOccurrences(of: #"\.product\([^)]*\)"#, with: "", options: .regularExpression)
            let names = try NSRegularExpression(pattern: #""([^"]+)""#).matches(in: deps, range: NSRange(location: 0, length: (deps as NSString).length))
                .map { (deps as NSString).substring(with: $0.range(at: 1)) }
            out.append(Target(name: ns.substring(with: m.range(at: 1)), path: ns.substring(with: m.range(at: 3)), dependencies: Set(names)))
        }
        return out
    }

    /// `(file, module, testable)` for every `import` line of the Swift files under `path`.
    static func imports(under path: String) -> [(file: String, module: String, testable: Bool)] {
        let dir = root.appendingPathComponent(path)
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [(String, String, Bool)] = []
        for case let url as URL in e where url.pathExtension == "swift" {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                var words = line.split(separator: " ").map(String.init)
                let testable = words.first == "@testable"
                if testable { words.removeFirst() }
                guard words.count >= 2, words[0] == "import" else { continue }
                out.append((url.path.replacingOccurrences(of: root.path + "/", with: ""), words[1], testable))
            }
        }
        return out
    }

    /// Everything that breaks the layering: a target depending on a module its row of ``allowed`` does not list, a
    /// source file importing a nasc module its target does not declare (or a forbidden one), `@testable` in library code.
    static func violations(_ targets: [Target], imports: (Target) -> [(file: String, module: String, testable: Bool)]) -> [String] {
        var out: [String] = []
        let nascModules = Set(targets.map(\.name)).union(["COpenBLAS"])
        for t in targets {
            let library = !t.name.hasSuffix("Tests")
            if library {
                guard let table = allowed[t.name] else { out.append("target \(t.name) is not in docs/architecture.md's table"); continue }
                for d in t.dependencies.sorted() where nascModules.contains(d) && !table.contains(d) {
                    out.append("Package.swift: \(t.name) depends on \(d), which the layering forbids")
                }
            }
            for i in imports(t) where nascModules.contains(i.module) {
                if !t.dependencies.contains(i.module) { out.append("\(i.file) imports \(i.module), which target \(t.name) does not declare") }
                if library && allowed[t.name]?.contains(i.module) == false { out.append("\(i.file) imports \(i.module): forbidden for \(t.name)") }
                if library && i.testable { out.append("\(i.file): @testable import in library code") }
            }
        }
        return out
    }

    @Test func theSourcesFollowTheLayering() throws {
        let targets = try Self.targets()
        #expect(Set(targets.map(\.name)).isSuperset(of: Self.allowed.keys), "Package.swift was not read")
        let scanned = targets.reduce(0) { $0 + Self.imports(under: $1.path).count }
        #expect(scanned > 300, "found only \(scanned) imports; is the scan reading the sources?")
        let found = Self.violations(targets) { Self.imports(under: $0.path) }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
    }

    /// The check fails on a forbidden import or dependency: the runtime importing the passes, kernels the IR, the front
    /// end the runtime, a library using `@testable`.
    @Test func forbiddenImportsAreReported() throws {
        var targets = try Self.targets()
        let runtime = try #require(targets.firstIndex { $0.name == "NASCRuntime" })
        targets[runtime].dependencies.insert("NASCPasses")
        let bad: [String: [(file: String, module: String, testable: Bool)]] = [
            "NASCRuntime": [("Sources/NASCRuntime/X.swift", "NASCPasses", false)],
            "NASCKernels": [("Sources/NASCKernels/Y.swift", "NASCIR", false)],
            "NASCFrontend": [("Sources/NASCFrontend/Z.swift", "NASCPasses", true), ("Sources/NASCFrontend/Z.swift", "NASCRuntime", false)],
        ]
        let found = Self.violations(targets) { bad[$0.name] ?? [] }
        #expect(found.contains("Package.swift: NASCRuntime depends on NASCPasses, which the layering forbids"))
        #expect(found.contains("Sources/NASCRuntime/X.swift imports NASCPasses: forbidden for NASCRuntime"))
        #expect(found.contains("Sources/NASCKernels/Y.swift imports NASCIR, which target NASCKernels does not declare"))
        #expect(found.contains("Sources/NASCKernels/Y.swift imports NASCIR: forbidden for NASCKernels"))
        #expect(found.contains("Sources/NASCFrontend/Z.swift: @testable import in library code"))
        #expect(found.contains("Sources/NASCFrontend/Z.swift imports NASCRuntime: forbidden for NASCFrontend"))
        #expect(found.count == 7, "\(found)")
    }
}
