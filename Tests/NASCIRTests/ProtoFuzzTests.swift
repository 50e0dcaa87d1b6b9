// Hostile bytes for ProtoIO.decodeFile: prefixes, seeded byte flips, random bytes and plain text must each
// decode or throw DiagnosticError, never trap or throw anything else.
import Testing
@testable import NASCIR

@Suite struct ProtoFuzzTests {
    /// SplitMix64: a tiny seeded generator so failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    enum Outcome { case decoded, diagnosed }

    /// Decodes; records an issue for any error that is not a one-line DiagnosticError at `file`.
    func probe(_ bytes: [UInt8], _ what: String) -> Outcome? {
        do {
            _ = try ProtoIO.decodeFile(bytes, file: "fuzz.pb")
            return .decoded
        } catch let e as DiagnosticError {
            #expect(e.diagnostics.count == 1 && e.diagnostics[0].location == SourceLocation(file: "fuzz.pb"), "\(what)")
            #expect(!e.description.contains("\n"), "\(what)")
            return .diagnosed
        } catch {
            Issue.record("\(what): unexpected error \(error)")
            return nil
        }
    }

    @Test func everyPrefix() throws {
        for bytes in [try ProtoIO.encode(ProtoSamples.everything), try ProtoIO.encode(ProtoSamples.architecture)] {
            var diagnosed = 0
            for n in 0..<bytes.count {
                if probe(Array(bytes[0..<n]), "prefix of \(n) bytes") == .diagnosed { diagnosed += 1 }
            }
            // The payload is the last field, so every proper prefix loses it or cuts it short.
            #expect(diagnosed == bytes.count)
            #expect(probe(bytes, "whole file") == .decoded)
        }
    }

    @Test func seededByteFlips() throws {
        let original = try ProtoIO.encode(ProtoSamples.everything)
        var rng = SplitMix64(state: 0x6E61_7363)
        var outcomes: [Outcome: Int] = [:]
        for trial in 0..<800 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            }
            if let o = probe(bytes, "flip trial \(trial)") { outcomes[o, default: 0] += 1 }
        }
        #expect(outcomes.values.reduce(0, +) == 800)
        #expect(outcomes[.diagnosed, default: 0] > 0)
    }

    @Test func randomBytes() {
        var rng = SplitMix64(state: 42)
        for trial in 0..<500 {
            let bytes = (0..<Int.random(in: 1...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = probe(bytes, "random trial \(trial)")
        }
    }

    @Test func plainText() {
        let texts = [
            "space \"mnist\" version 1 root @main\ngraph @main(%x: f32[N,1,28,28]) {\n  return %x\n}\n",
            "hello, world", "{\"format_version\": 1}", "\u{FEFF}format_version: 1", String(repeating: "z", count: 4096),
        ]
        for t in texts {
            #expect(probe(Array(t.utf8), "text \(t.prefix(20))") == .diagnosed)
        }
    }
}
