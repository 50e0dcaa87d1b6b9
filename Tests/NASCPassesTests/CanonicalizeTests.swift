// Tests for expression folding and for canonicalize/dce details not visible in golden files (locations kept).
import NASCIR
@testable import NASCPasses
import Testing

@Suite struct CanonicalizeTests {
    @Test func foldingRules() {
        let w = ValueExpr.choice("w")
        #expect(ExprFolding.fold(.binary(.add, .int(2), .binary(.mul, .int(3), .int(4)))) == .int(14))
        #expect(ExprFolding.fold(.binary(.mul, w, .binary(.sub, .int(3), .int(2)))) == w)
        #expect(ExprFolding.fold(.binary(.add, .int(0), w)) == w)
        #expect(ExprFolding.fold(.neg(.neg(w))) == w)
        #expect(ExprFolding.fold(.binary(.mul, w, .int(2)), substitute: ["w": .int(8)]) == .int(16))
        // Not identities: a float 1.0 may change an int to a float; floor-division by 1 floors floats.
        #expect(ExprFolding.fold(.binary(.mul, w, .float(1))) == .binary(.mul, w, .float(1)))
        #expect(ExprFolding.fold(.binary(.floorDiv, w, .int(1))) == .binary(.floorDiv, w, .int(1)))
        // Errors are left for shape inference to report.
        let bad = ValueExpr.binary(.floorDiv, .int(3), .int(0))
        #expect(ExprFolding.fold(bad) == bad)
        #expect(ExprFolding.fold(.cond(.binary(.gt, .int(2), .int(1)), w, .int(3))) == w)
    }

    @Test func rewritesKeepLocations() throws {
        var space = try TextIR.parse("""
        space "t" version 1 root @main

        graph @main(%x: f32[N,4]) {
          %c = layer_choice(%x) {label = "l", candidates = [a = @r]}
          %rp = repeat(%c) {label = "d", depths = [2], blocks = [@r, @r]}
          return %rp
        }

        graph @r(%x: f32[N,4]) {
          %y = relu(%x)
          return %y
        }
        """, file: "c.nir")
        var context = PassContext()
        try Canonicalize().run(on: &space, context: &context)
        let nodes = space.graphs[0].nodes
        #expect(nodes.map(\.name) == ["c", "rp_0", "rp"])
        #expect(nodes.map(\.op) == [.call(graph: "r"), .call(graph: "r"), .call(graph: "r")])
        #expect(nodes.map(\.location.line) == [4, 5, 5])
        #expect(Verifier.verify(space).isEmpty)
    }

    @Test func deadCodeKeepsTheRootWhenItIsMissing() throws {
        var space = try TextIR.parse("""
        space "t" version 1 root @nope

        graph @main(%x: f32[N,4]) {
          return %x
        }
        """, file: "d.nir")
        var context = PassContext()
        try DeadCodeElimination().run(on: &space, context: &context)
        #expect(space.graphs.map(\.name) == ["main"])
    }
}
