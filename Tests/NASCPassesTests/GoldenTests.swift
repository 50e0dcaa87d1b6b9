// GoldenTests: runs every Golden/*.nir file (input IR + pipeline -> expected IR or errors), FileCheck style.
import Foundation
import NASCIR
import NASCPasses
import Testing

/// One golden file: `// PIPELINE: spec` (or `// RUN: --passes=spec`), input text IR, the separator line,
/// then the expected printed IR (without locations) or expected diagnostics, one per line:
/// `// ERROR: file:line:col: error: message`, `// NOTE: ...` for notes, `// HINT: ...` for hints. When the pipeline
/// lowers, the plan's listing (``Plan/listing``) follows the IR after `// -----// PLAN //----- //`.
/// An optional `// ARCH: {json}` line (one line, any form ``ArchitectureJSON`` reads) puts an architecture in the
/// pass context, for `specialize`; problems reading it are reported as `ARCH:1:col: error: ...`.
/// Pass options are part of the pipeline spec (`supernet-space{mode=sampled}`).
/// Set `NASC_UPDATE_GOLDEN=1` to rewrite the expected sections from the current output.
struct GoldenCase: CustomTestStringConvertible, Sendable {
    static let separator = "// -----// EXPECTED //----- //"
    static let planMarker = "// -----// PLAN //----- //"
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    let fileName: String
    var testDescription: String { fileName }
    var url: URL { Self.directory.appendingPathComponent(fileName) }

    /// Every `.nir` file in the golden directory, sorted.
    static func all() -> [GoldenCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".nir") }.sorted().map(GoldenCase.init(fileName:))
    }

    /// The file split into its parts.
    struct Parts {
        var pipeline: String?
        var architecture: String?
        var input: String
        var expected: String?
    }

    static func split(_ text: String) -> Parts {
        let lines = text.components(separatedBy: "\n")
        let sep = lines.firstIndex(of: separator)
        let inputLines = Array(lines[..<(sep ?? lines.count)])
        var pipeline: String?
        var architecture: String?
        for l in inputLines {
            if l.hasPrefix("// ARCH:") { architecture = String(l.dropFirst("// ARCH:".count)).trimmingCharacters(in: .whitespaces) }
            if l.hasPrefix("// PIPELINE:") { pipeline = String(l.dropFirst("// PIPELINE:".count)).trimmingCharacters(in: .whitespaces) }
            if l.hasPrefix("// RUN:"), let r = l.range(of: "--passes=") {
                pipeline = String(l[r.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
        let expected = sep.map { lines[($0 + 1)...].joined(separator: "\n") }
        return Parts(pipeline: pipeline, architecture: architecture, input: inputLines.joined(separator: "\n"), expected: expected)
    }

    /// Diagnostics in golden form.
    static func render(_ diagnostics: [Diagnostic]) -> String {
        var out: [String] = []
        for d in diagnostics {
            out.append("// \(d.severity.rawValue.uppercased()): \(d.description)")
            for n in d.notes { out.append("// NOTE: \(n.description)") }
            if let h = d.hint { out.append("// HINT: \(h)") }
        }
        return out.joined(separator: "\n")
    }

    /// Parses the input, runs the pipeline and renders the outcome.
    static func actualOutput(input: String, pipeline: String, file: String, architecture: String? = nil) -> String {
        var space: ModelSpace
        do { space = try TextIR.parse(input, file: file) } catch let e as DiagnosticError {
            return render(e.diagnostics)
        } catch { return "// ERROR: \(error)" }
        let manager: PassManager
        do { manager = try PassManager(pipeline: pipeline) } catch let e as DiagnosticError {
            return render(e.diagnostics)
        } catch { return "// ERROR: \(error)" }
        var context = PassContext()
        if let json = architecture {
            do { context.architecture = try ArchitectureJSON.read(json, space: SearchSpace(space), file: "ARCH") }
            catch let e as DiagnosticError { return render(e.diagnostics) } catch { return "// ERROR: \(error)" }
        }
        let result = manager.run(on: &space, context: &context)
        guard result.succeeded else { return render(result.diagnostics) }
        // After `lower` (and `memory-plan`), the plan's listing follows the IR.
        return TextIR.print(space, locations: false) + (context.plan.map { "\n" + planMarker + "\n" + $0.listing } ?? "")
    }

    static func normalized(_ s: String) -> String {
        s.components(separatedBy: "\n").map { l in
            var l = Substring(l)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}

@Suite struct GoldenTests {
    @Test(arguments: GoldenCase.all())
    func golden(_ c: GoldenCase) throws {
        let text = try String(contentsOf: c.url, encoding: .utf8)
        let parts = GoldenCase.split(text)
        let pipeline = try #require(parts.pipeline, "\(c.fileName) has no '// PIPELINE:' line")
        let actual = GoldenCase.normalized(GoldenCase.actualOutput(input: parts.input, pipeline: pipeline, file: c.fileName,
                                                                       architecture: parts.architecture))
        if ProcessInfo.processInfo.environment["NASC_UPDATE_GOLDEN"] == "1" {
            let updated = parts.input + "\n" + GoldenCase.separator + "\n" + actual + "\n"
            try updated.write(to: c.url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(parts.expected, "\(c.fileName) has no '\(GoldenCase.separator)' section")
        #expect(actual == GoldenCase.normalized(expected), "\(c.fileName)")
    }

    /// Every registered pass runs in some golden file (pipelines expanded).
    @Test func everyPassHasAGoldenFile() throws {
        var covered = Set<String>()
        for c in GoldenCase.all() {
            let parts = GoldenCase.split(try String(contentsOf: c.url, encoding: .utf8))
            guard let spec = parts.pipeline, let m = try? PassManager(pipeline: spec) else { continue }
            covered.formUnion(m.passes.map(\.name))
        }
        #expect(PassRegistry.all.count >= 14)
        for p in PassRegistry.all { #expect(covered.contains(p.name), "no golden file runs pass '\(p.name)'") }
    }

    /// Every pass and every verifier error class has golden coverage.
    @Test func coverage() {
        let names = GoldenCase.all().map(\.fileName)
        for prefix in ["canonicalize-", "dce-", "shape-", "verify-", "pipeline-", "specialize-"] {
            #expect(names.filter { $0.hasPrefix(prefix) }.count >= 3, "fewer than 3 golden files for \(prefix)")
        }
        for errorClass in ["cycle", "dangling-edge", "duplicate-name", "type-mismatch", "unknown-subgraph", "bad-arity",
                           "undeclared-value-choice", "incompatible-label"] {
            #expect(names.contains("verify-\(errorClass).nir"), "missing golden file for \(errorClass)")
        }
    }
}
