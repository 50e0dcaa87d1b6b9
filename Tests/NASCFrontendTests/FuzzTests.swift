// FuzzTests: truncated and mutated versions of every example give diagnostics (or a valid space), never a
// crash, a hang, or a diagnostic without a usable location.
import Testing
import Foundation
import NASCFrontend
import NASCIR

/// Deterministic pseudo-random numbers for reproducible mutations.
struct FuzzRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}

@Suite struct FuzzTests {
    static let fragments = ["(", ")", "{", "}", "[", "]", ",", ":", "=", "->", "=>", "\"", "#", "x", "0", "-", "\n", "*", "//",
                            "choice(", "layer_choice", "repeat", "cell", "block", "return", "for", "input", "9", "?", ".", "@"]

    func mutate(_ source: String, _ rng: inout FuzzRandom) -> String {
        var chars = Array(source)
        guard !chars.isEmpty else { return source }
        let at = rng.below(chars.count)
        switch rng.below(6) {
        case 0: chars.remove(at: at)
        case 1: chars.insert(contentsOf: Self.fragments[rng.below(Self.fragments.count)], at: at)
        case 2:
            // Replace a digit with another digit (never a longer number: loop counts stay small).
            if let i = (0..<chars.count).map({ ($0 + at) % chars.count }).first(where: { chars[$0].isNumber }) {
                chars[i] = Character(String(rng.below(10)))
            }
        case 3:
            var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false)
            let l = rng.below(lines.count)
            lines.remove(at: l)
            return lines.joined(separator: "\n")
        case 4:
            var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false)
            let l = rng.below(lines.count)
            lines.insert(lines[l], at: rng.below(lines.count))
            return lines.joined(separator: "\n")
        default:
            if at + 1 < chars.count { chars.swapAt(at, at + 1) }
        }
        return String(chars)
    }

    func check(_ source: String, file: String) {
        do {
            let space = try Frontend.compile(source: source, file: file)
            #expect(Verifier.verify(space).filter { $0.severity == .error }.isEmpty)
        } catch let e as DiagnosticError {
            #expect(!e.diagnostics.isEmpty)
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
            for d in e.diagnostics {
                #expect(d.location.file == file && d.location.line >= 1 && d.location.line <= lines + 1,
                        "bad location \(d.location) for: \(d.message)")
            }
            let rendered = Frontend.render(e, source: source)
            #expect(rendered.contains(": error: "))
        } catch {
            Issue.record("compile threw a non-diagnostic error: \(error)")
        }
    }

    @Test(arguments: ExampleSupport.examples)
    func truncatedAndMutatedExamples(_ name: String) throws {
        let source = try ExampleSupport.read("examples/\(name).nas")
        let file = "\(name).nas"
        let t0 = Date()
        let chars = Array(source)
        // Truncations at evenly spaced points (including mid-token and mid-string).
        let cuts = 16
        for k in 0..<cuts { check(String(chars.prefix(chars.count * k / cuts + k % 3)), file: file) }
        var rng = FuzzRandom(state: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        // Single and stacked mutations.
        for round in 0..<14 {
            var s = source
            for _ in 0...(round % 3) { s = mutate(s, &rng) }
            check(s, file: file)
        }
        #expect(Date().timeIntervalSince(t0) < 20, "fuzzing \(name) took too long")
    }

    @Test func longChainsDoNotExhaustTheStack() throws {
        let chain = "input x: [4]\nreturn x" + String(repeating: " -> relu", count: 1000) + "\n"
        let s = try ExampleSupport.compile(chain)
        #expect(s.rootGraph?.nodes.count == 1000)
        let composed = "input x: [4]\nl = relu" + String(repeating: " -> tanh", count: 1000) + "\nreturn x -> l\n"
        #expect(try ExampleSupport.compile(composed).rootGraph?.nodes.count == 1001)
        let sum = "input x: [4]\nn = 1" + String(repeating: " + 1", count: 3000) + "\nreturn x -> linear(out: n)\n"
        #expect(ExampleSupport.diagnostics(sum)?.contains("too deeply or too long") == true)
    }

    @Test func hugeNumbersAreErrorsNotTraps() {
        for s in ["input x: [9223372036854775807, 2]\nreturn x",
                  "input x: [16777216, 16777216, 16777216]\nreturn x -> flatten",
                  "input x: [3, 8, 8]\nreturn x -> conv2d(out: 4611686018427387904, kernel: 4611686018427387904, dilation: 4611686018427387904)",
                  "input x: [3]\nfor i in range(-9223372036854775807, 9223372036854775807) { x = x }\nreturn x",
                  "input x: [3]\nreturn x -> linear(out: 9223372036854775807 * 9223372036854775807)"] {
            #expect(ExampleSupport.diagnostics(s) != nil, "\(s)")
        }
    }

    @Test func garbageInputs() {
        for s in ["", "\n\n", "}", "{{{{", "\"", "input", "input x", "input x: [", "block", "block B(", "block B()(x) {",
                  "return", "x = ", "for i in", "for i in range(3) {", "a = layer_choice(\"c\") {", "a = -", "a = 1 +",
                  "input x: [1]\nreturn x -> repeat(depth: 999999999999999999999) { relu }",
                  "input x: [1]\nfor i in range(100000) { x = x -> relu }\nreturn x",
                  "input x: [0]\nreturn x", "input x: [1, 2]\nreturn x -> conv2d(out: 1, kernel: 1)",
                  String(repeating: "[", count: 3000), "\u{0}\u{1}\u{7f}", "a = \"\\q\""] {
            check(s, file: "g.nas")
        }
    }
}
