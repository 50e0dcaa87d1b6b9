// DiagnosticsGoldenTests: each Diagnostics/*.nas file must fail with exactly the rendered output in its
// sibling .expected file. Regenerate with NASC_UPDATE_GOLDEN=1.
import Testing
import Foundation
import NASCFrontend
import NASCIR

@Suite struct DiagnosticsGoldenTests {
    static let dir = "Tests/NASCFrontendTests/Diagnostics"

    static var cases: [String] {
        let url = ExampleSupport.root.appendingPathComponent(dir)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return files.filter { $0.hasSuffix(".nas") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func thereIsAGoldenFileForEveryErrorClass() {
        let required = ["syntax", "lexical", "unknown_op", "unknown_attribute", "missing_attribute", "arity", "unbound_name",
                        "duplicate_label", "value_choice_misuse", "shape_mismatch", "kernel_too_large", "block_arguments",
                        "candidate_scope", "mnist_guide"]
        for r in required { #expect(Self.cases.contains(r), "missing golden case \(r)") }
    }

    @Test(arguments: DiagnosticsGoldenTests.cases)
    func golden(_ name: String) throws {
        let path = "\(Self.dir)/\(name).nas"
        let source = try ExampleSupport.read(path)
        let rendered = try #require(ExampleSupport.diagnostics(source, file: path), "\(path) compiled without errors")
        let expectedURL = ExampleSupport.root.appendingPathComponent("\(Self.dir)/\(name).expected")
        if ProcessInfo.processInfo.environment["NASC_UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(rendered == expected)
        // Every error line has the file:line:col prefix, a source line and a caret.
        #expect(rendered.contains("\(path):"))
        #expect(rendered.contains("^"))
    }
}
