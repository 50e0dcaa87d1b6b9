// Tests that value-choice expressions print as ValueExpr.description and read back exactly (floats bit-exactly).
import Testing
@testable import NASCIR

/// A small deterministic generator (SplitMix64) so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct TextIRExpressionTests {
    /// Wraps an expression in a one-node space (dropout's `p` accepts any expression).
    static func space(_ e: ValueExpr) -> ModelSpace {
        ModelSpace(name: "e", root: "g", graphs: [Graph(name: "g", nodes: [
            Node(name: "d", op: .dropout(p: e), inputs: [], location: NASCIR.SourceLocation(file: "e", line: 1, column: 1)),
        ], outputs: [], location: NASCIR.SourceLocation(file: "e", line: 1, column: 1))])
    }

    static func roundTrip(_ e: ValueExpr) throws -> ValueExpr? {
        let text = TextIR.print(space(e))
        #expect(text.contains("{p = \(e.description)}"))
        let back = try TextIR.parse(text, file: "e.nir")
        guard case .dropout(let p)? = back.graphs.first?.nodes.first?.op else { return nil }
        return p
    }

    static let trickyFloats: [Double] = [
        0.1, 0.2, 1.0 / 3.0, 1e-5, 1e-7, .leastNonzeroMagnitude, 2.2250738585072014e-308, 1.7976931348623157e308, 1e16, 123456789.125,
        -0.0, 0.0, .infinity, -.infinity, .ulpOfOne, 1 + .ulpOfOne, 9007199254740994,
    ]

    static func randomFloat(_ rng: inout SplitMix64) -> Double {
        if rng.next() % 2 == 0 { return trickyFloats[Int(rng.next() % UInt64(trickyFloats.count))] }
        while true {
            let d = Double(bitPattern: rng.next())
            if d.isFinite { return d }
        }
    }

    /// A random expression; never `.neg` directly over a constant (that prints like a negative constant).
    static func randomExpr(_ rng: inout SplitMix64, depth: Int) -> ValueExpr {
        let leaf = depth == 0 || rng.next() % 4 == 0
        if leaf {
            switch rng.next() % 4 {
            case 0: return .int(Int(bitPattern: UInt(rng.next())) >> Int(rng.next() % 64))
            case 1: return .float(randomFloat(&rng))
            case 2: return .choice(["w", "e", "cell/op_0_1", "a b", "_x9", "\"q\""][Int(rng.next() % 6)])
            default: return .int(Int(rng.next() % 10))
            }
        }
        switch rng.next() % 6 {
        case 0, 1:
            let op = BinaryOp.allCases[Int(rng.next() % UInt64(BinaryOp.allCases.count))]
            return .binary(op, randomExpr(&rng, depth: depth - 1), randomExpr(&rng, depth: depth - 1))
        case 2:
            let inner = randomExpr(&rng, depth: depth - 1)
            if case .const = inner { return .neg(.choice("w")) }
            return .neg(inner)
        case 3: return .min((0..<Int(rng.next() % 4)).map { _ in randomExpr(&rng, depth: depth - 1) })
        case 4: return .max((0..<Int(1 + rng.next() % 3)).map { _ in randomExpr(&rng, depth: depth - 1) })
        default:
            return .cond(randomExpr(&rng, depth: depth - 1), randomExpr(&rng, depth: depth - 1), randomExpr(&rng, depth: depth - 1))
        }
    }

    @Test func handWrittenExpressionsRoundTrip() throws {
        let w = ValueExpr.choice("w"), e = ValueExpr.choice("e")
        let cases: [ValueExpr] = [
            .binary(.mul, .binary(.add, w, .int(1)), .int(2)),
            .binary(.sub, .int(1), .binary(.sub, .int(2), .int(3))),
            .binary(.sub, .binary(.sub, .int(1), .int(2)), .int(3)),
            .binary(.floorDiv, w, .int(2)), .binary(.mod, w, .int(3)), .binary(.div, w, .float(2.5)),
            .binary(.lt, .binary(.lt, w, e), .int(1)), .binary(.lt, w, .binary(.le, e, .int(1))),
            .binary(.ne, .binary(.eq, w, e), .binary(.ge, w, .binary(.gt, e, .int(0)))),
            .neg(w), .neg(.neg(w)), .neg(.binary(.add, w, e)), .neg(.const(.int(-3))), .neg(.min([w])),
            .int(-3), .float(-0.5), .binary(.sub, w, .int(-3)), .binary(.mul, .int(-3), w),
            .min([]), .min([w, .int(3)]), .max([.binary(.floorDiv, w, .int(8)), .int(1)]),
            .cond(.binary(.gt, e, .int(4)), w, .int(2)),
            .cond(.cond(w, e, .int(1)), .cond(e, w, .int(0)), .cond(w, .int(1), .int(2))),
            .binary(.add, .cond(w, .int(1), .int(2)), .int(3)),
            .binary(.add, .int(3), .cond(w, .int(1), .int(2))),
            .neg(.cond(w, .int(1), .int(2))),
            .min([.cond(w, .int(1), .int(2)), .neg(e)]),
            .choice("cell/op_0"), .choice("a\"b\\c"), .choice("with space"),
            .int(Int.max), .int(Int.min), .neg(.int(Int.min)),
            .float(.infinity), .float(-.infinity), .binary(.sub, .int(0), .float(-.infinity)),
        ]
        for c in cases {
            #expect(try Self.roundTrip(c) == c, "\(c.description)")
        }
    }

    @Test func randomExpressionsRoundTrip() throws {
        var rng = SplitMix64(seed: 201)
        for _ in 0..<400 {
            let e = Self.randomExpr(&rng, depth: 4)
            #expect(try Self.roundTrip(e) == e, "\(e.description)")
        }
    }

    @Test func floatsRoundTripBitExactly() throws {
        var rng = SplitMix64(seed: 7)
        var values = Self.trickyFloats
        for _ in 0..<300 { values.append(Self.randomFloat(&rng)) }
        let decl = ValueChoiceDecl(label: "f", values: values.map(Scalar.float), location: NASCIR.SourceLocation(file: "f", line: 1))
        let space = ModelSpace(name: "f", root: "g", graphs: [], valueChoices: [decl])
        let back = try TextIR.parse(TextIR.print(space), file: "f.nir")
        let got = back.valueChoices.first?.values ?? []
        #expect(got.count == values.count)
        for (g, v) in zip(got, values) {
            guard case .float(let d) = g else { Issue.record("\(g) is not a float"); continue }
            #expect(d.bitPattern == v.bitPattern, "\(v)")
        }
    }

    @Test func negatedConstantReadsBackAsNegativeConstant() throws {
        // Documented normalization: `-3` is the constant -3, so `.neg(.int(3))` does not survive printing.
        #expect(ValueExpr.neg(.int(3)).description == ValueExpr.int(-3).description)
        #expect(try Self.roundTrip(.neg(.int(3))) == .int(-3))
        #expect(try Self.roundTrip(.neg(.float(0.5))) == .float(-0.5))
        // Written with parentheses, the negation is kept.
        let s = try TextIR.parse("space \"s\" version 1 root @g\ngraph @g() {\n  %d = dropout() {p = -(3)}\n  return\n}\n", file: "n.nir")
        #expect(s.graphs[0].nodes[0].op == .dropout(p: .neg(.int(3))))
    }

    @Test func deepNestingIsRejectedNotCrashing() throws {
        let ok = String(repeating: "(", count: 90) + "1" + String(repeating: ")", count: 90)
        let s = try TextIR.parse("space \"s\" version 1 root @g\ngraph @g() {\n  %d = dropout() {p = \(ok)}\n  return\n}\n", file: "d.nir")
        #expect(s.graphs[0].nodes[0].op == .dropout(p: .int(1)))
        let deep = String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        let negs = String(repeating: "-", count: 5_000) + "$w"
        let conds = String(repeating: "1 ? 2 : ", count: 5_000) + "3"
        let calls = String(repeating: "min(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)
        for bad in [deep, negs, conds, calls] {
            let text = "space \"s\" version 1 root @g\ngraph @g() {\n  %d = dropout() {p = \(bad)}\n  return\n}\n"
            #expect(throws: DiagnosticError.self) { try TextIR.parse(text, file: "d.nir") }
            do { _ = try TextIR.parse(text, file: "d.nir") } catch let e as DiagnosticError {
                #expect(e.diagnostics.map(\.message) == ["expression is nested too deeply"])
                #expect(e.diagnostics.first?.location.line == 3)
            }
        }
    }
}
