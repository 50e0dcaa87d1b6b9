// DotCLITests: Graphviz output of `nasc dump --format dot` — a chosen subnet with --arch, a plan refused in one
// located line, and darts.nas rendered by Graphviz's `dot` under 4,000 px wide (repeated cell graphs collapsed).
import Foundation
import Testing

/// Runs Graphviz `dot -Tpng` on DOT text and returns the PNG's pixel width (from its IHDR chunk).
func renderedPNGWidth(_ dotText: String) throws -> Int {
    let dir = try NascProcess.tempDir()
    let src = dir.appendingPathComponent("g.dot"), png = dir.appendingPathComponent("g.png")
    try dotText.write(to: src, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["dot", "-Tpng", src.path, "-o", png.path]
    p.standardError = FileHandle.nullDevice
    try p.run(); p.waitUntilExit()
    #expect(p.terminationStatus == 0, "dot failed")
    let bytes = [UInt8](try Data(contentsOf: png))
    #expect(bytes.count > 24 && Array(bytes[12..<16]) == Array("IHDR".utf8))
    return bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
}

@Suite(.serialized) struct DotCLITests {
    @Test func dartsSpaceRendersUnder4000PixelsWide() throws {
        let r = try NascProcess.run(["dump", "examples/darts.nas", "--format", "dot"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout.contains("@normal_sep_conv_3x3 ×8\\nsame structure as\\n@normal_sep_conv_3x3_1"), "repeated candidate graphs are collapsed with a count")
        #expect(!r.stdout.contains("@normal_sep_conv_3x3_1 ×"), "drawn once")
        // The six normal cells share their decisions: drawn once (nodes 0..3 fed by every earlier node), five references.
        #expect(r.stdout.components(separatedBy: "label=\"cell \\\"normal\\\" ×6 (all share these decisions)").count - 1 == 1, "\(r.stdout)")
        #expect(r.stdout.contains("label=\"cell \\\"reduce\\\" ×2 (all share these decisions)"))
        for k in 2...6 { #expect(r.stdout.contains("label=\"cell \\\"normal\\\" (\(k) of 6)\""), "cell \(k)") }
        #expect(r.stdout.components(separatedBy: "label=\"node 3\"").count - 1 == 2, "one drawn cell per label")
        let width = try renderedPNGWidth(r.stdout)
        #expect(width > 500 && width < 4000, "width \(width) px")
    }

    @Test func archDrawsTheChosenSubnet() throws {
        let dir = try NascProcess.tempDir()
        let arch = dir.appendingPathComponent("a.json").path
        try #"{"conv1": "conv5x5", "conv2": "skip", "skip": [1]}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        let r = try NascProcess.run(["dump", "examples/digits_oneshot.nas", "--arch", arch, "--format", "dot"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("layer_choice") && !r.stdout.contains("input_choice"), "no choices left")
        #expect(r.stdout.contains("kernel=5"), "conv5x5 chosen")
        #expect(!r.stdout.contains("kernel=3"), "no 3x3 candidate left")
        #expect(try renderedPNGWidth(r.stdout) > 0)
    }

    @Test func planAsDotIsRefusedInOneLocatedLine() throws {
        let dir = try NascProcess.tempDir()
        let plan = dir.appendingPathComponent("p.pb").path
        let arch = dir.appendingPathComponent("a.json").path
        try #"{"conv1": "conv3x3", "conv2": "pool", "skip": [0]}"#.write(toFile: arch, atomically: true, encoding: .utf8)
        let c = try NascProcess.run(["compile", "examples/digits_oneshot.nas", "--arch", arch, "-o", plan])
        #expect(c.code == 0, "\(c.stderr)")
        let r = try NascProcess.run(["dump", plan, "--format", "dot"])
        #expect(r.code == 1 && r.stdout.isEmpty)
        #expect(r.stderr == "--format: error: --format dot draws model spaces only; print this plan as text (--format text)\n", "\(r.stderr)")
    }
}
