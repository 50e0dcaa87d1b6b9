// Truncation and mutation fuzzing of the text IR parser: every input must parse or throw diagnostics, never crash or hang.
import Testing
@testable import NASCIR

@Suite struct TextIRFuzzTests {
    /// Parses `text`; a success must print and re-parse to the same space, a failure must be well-formed diagnostics.
    /// With `reprint`, a success must also print and re-parse to the same space.
    static func check(_ text: String, file: String, reprint: Bool = true) {
        let lineCount = 1 + text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        do {
            let space = try TextIR.parse(text, file: file)
            guard reprint else { return }
            // Every location is known after parsing, so printing with locations is lossless.
            let again = try TextIR.parse(TextIR.print(space), file: "reprinted.nir")
            if again != space { Issue.record("reprint differs for: \(text)") }
        } catch let e as DiagnosticError {
            if e.diagnostics.isEmpty { Issue.record("no diagnostics for: \(text)") }
            for d in e.diagnostics {
                let ok = d.severity == .error && d.location.file == file && d.location.line >= 1
                    && d.location.line <= lineCount && d.location.column >= 1 && !d.message.isEmpty
                if !ok { Issue.record("bad diagnostic \(d) for: \(text)") }
            }
        } catch {
            Issue.record("unexpected error \(error) for: \(text)")
        }
    }

    /// A compact text touching every syntactic form, small enough to try every prefix of it.
    static let compact = """
        space "c" version 1 root @m
        value_choice "w" [8, -1.5e-3]

        graph @m(%x: f32[N,2] loc("a":1:2)) loc("a":1) {
          %"q r" = conv2d(%x) {out = $w * 2, kernel = min(3, $"a/b") ? -1 : 2, padding = same, bias = false} : f32[N,4], i64[N]
          %c = layer_choice(%"q r"#1) {label = "l\\"\\n", candidates = [a = @m, "b c" = @"g h"]}
          %r = repeat(%c) {label = "r", depths = [0, 2], blocks = [@m, @m]}
          %z = cell(%r) {label = "z", num_nodes = 2, ops_per_node = 1, candidates = [], merge = loose_end}
          return %z, %r#0
        }

        """

    @Test func everyPrefixOfACompactTextIsHandled() {
        let scalars = Array(Self.compact.unicodeScalars)
        var text = String.UnicodeScalarView()
        Self.check("", file: "p.nir")
        for s in scalars {
            text.append(s)
            Self.check(String(text), file: "p.nir")
        }
    }

    @Test(arguments: ["darts_cell.nir", "mnist.nir", "nb201.nir", "repeat_widths.nir"])
    func everyLinePrefixOfAFixtureIsHandled(_ name: String) throws {
        let text = try TextIRFixtures.text(name)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var prefix = ""
        for (i, line) in lines.enumerated() {
            // The prefix ending mid-line and at the end of the line.
            Self.check(prefix + line.prefix(line.count / 2), file: name, reprint: false)
            prefix += line
            if i + 1 < lines.count { prefix += "\n" }
            Self.check(prefix, file: name, reprint: false)
        }
    }

    @Test(arguments: ["darts_cell.nir", "mnist.nir", "nb201.nir", "repeat_widths.nir"])
    func deterministicMutationsAreHandled(_ name: String) throws {
        let original = Array(try TextIRFixtures.text(name).utf8)
        let alphabet = Array("{}[]()%@$\",:=#-?/*\\\n 0123456789.eNf_xaz".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF]
        var rng = SplitMix64(seed: UInt64(original.count))
        for _ in 0..<40 {
            var bytes = original
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                default:
                    let len = min(Int(rng.next() % 40), bytes.count - at)
                    bytes.insert(contentsOf: bytes[at..<(at + len)], at: at)
                }
            }
            Self.check(String(decoding: bytes, as: UTF8.self), file: name)
        }
    }
}
