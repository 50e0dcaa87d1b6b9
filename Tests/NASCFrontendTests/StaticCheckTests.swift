// StaticCheckTests: shapes are checked through every candidate and every reachable combination, shared
// labels are correlated (no false alarms), and large spaces are checked without enumerating them.
import Testing
import Foundation
import NASCFrontend
import NASCIR

@Suite struct StaticCheckTests {
    @Test func sharedValueChoiceIsOneDecision() throws {
        // Both branches read "w": they always agree, so add is fine.
        _ = try ExampleSupport.compile("""
        input x: [3, 8, 8]
        w = choice("w", [16, 32])
        a = x -> conv2d(out: w, kernel: 3, padding: 1)
        b = x -> conv2d(out: w, kernel: 1)
        return add(a, b)
        """)
        // Doubling one side never agrees.
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        w = choice("w", [16, 32])
        a = x -> conv2d(out: w, kernel: 3, padding: 1)
        b = x -> conv2d(out: w * 2, kernel: 1)
        return add(a, b)
        """))
        #expect(d.contains("t.nas:5:8: error: add needs inputs of equal shape, but gets f32[N,16,8,8] and f32[N,32,8,8]"))
    }

    @Test func sharedLayerChoiceLabelIsOneDecision() throws {
        let ok = """
        input x: [3, 8, 8]
        a = x -> layer_choice("op") { small: conv2d(out: 4, kernel: 1), big: conv2d(out: 8, kernel: 1) }
        b = x -> layer_choice("op") { small: conv2d(out: 4, kernel: 3, padding: 1), big: conv2d(out: 8, kernel: 3, padding: 1) }
        return add(a, b)
        """
        _ = try ExampleSupport.compile(ok)
        let swapped = ok.replacingOccurrences(of: "small: conv2d(out: 4, kernel: 3", with: "small: conv2d(out: 8, kernel: 3")
        let d = try #require(ExampleSupport.diagnostics(swapped))
        #expect(d.contains("error: add needs inputs of equal shape, but gets f32[N,4,8,8] and f32[N,8,8,8] when op = small"))
        #expect(d.contains("note: candidate 'small' of layer choice 'op'"))
    }

    @Test func conflictBetweenTwoIndependentChoicesNamesBoth() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        a = x -> layer_choice("a") { keep: identity, pool: max_pool2d(kernel: 2) }
        b = x -> layer_choice("b") { keep: identity, pool: max_pool2d(kernel: 2) }
        return add(a, b)
        """))
        #expect(d.contains("when a = keep, b = pool") || d.contains("when a = pool, b = keep"))
        #expect(d.contains("t.nas:2:30: note: candidate 'keep' of layer choice 'a' produces f32[N,3,8,8]"))
    }

    @Test func everyFailingCandidateIsShown() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [1, 28, 28]
        c = x -> layer_choice("conv1") {
            conv3x3: conv2d(out: 32, kernel: 3)
            conv5x5: conv2d(out: 32, kernel: 5, stride: 3)
        }
        return c -> flatten -> linear(in: 100, out: 10)
        """))
        #expect(d.contains("t.nas:6:24: error: linear expects 100 input features, but gets 21632 (input f32[N,21632])\n"))
        #expect(d.contains("t.nas:3:5: note: candidate 'conv3x3' of layer choice 'conv1' produces f32[N,32,26,26]\n"))
        #expect(d.contains("t.nas:4:5: note: candidate 'conv5x5' of layer choice 'conv1' produces f32[N,32,8,8], which fails too: linear expects 100 input features, but gets 2048"))
    }

    @Test func errorsInsideBlocksNameTheInstance() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        block Down(k)(x) {
            return x -> conv2d(out: 4, kernel: k)
        }
        a = x -> Down(3)
        b = a -> Down(7)
        return b
        """))
        #expect(d.contains("t.nas:3:17: error: conv2d with kernel 7 does not fit its 6x6 input"))
        #expect(d.contains("t.nas:6:10: note: in block 'Down' applied here"))
        let e = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        block B(n)(x) {
            return x -> linear(out: n, wrong: 1)
        }
        a = x -> B(3)
        return a
        """))
        #expect(e.contains("t.nas:3:32: error: unknown attribute 'wrong' for linear"))
        #expect(e.contains("t.nas:5:10: note: in block 'B' applied here"))
    }

    @Test func repeatDepthsAreEachChecked() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [1, 8, 8]
        r = x -> repeat("depth", depth: [1, 2, 3, 4]) { max_pool2d(kernel: 2) }
        return r -> flatten -> linear(out: 2)
        """))
        // 8 -> 4 -> 2 -> 1 -> (0): the fourth block cannot run.
        #expect(d.contains("error: max_pool2d with kernel 2 does not fit its 1x1 input"))
        #expect(!d.contains("linear"))
    }

    @Test func inputChoiceCandidatesMustAgreeWhenSummed() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        a = x -> relu
        b = x -> max_pool2d(kernel: 2)
        return input_choice(a, b, n_chosen: any) -> flatten
        """))
        #expect(d.contains("t.nas:4:8: error: input choice 'input_choice' sums candidates of different shapes: f32[N,3,8,8] and f32[N,3,4,4]"))
        #expect(d.contains("hint: to pick one of differently shaped tensors use n_chosen: 1, reduction: none"))
        // Choosing one without reduction accepts different shapes when every consumer accepts them.
        let s = try ExampleSupport.compile("""
        input x: [3, 8, 8]
        a = x -> relu
        b = x -> max_pool2d(kernel: 2)
        return input_choice(a, b, reduction: none) -> global_avg_pool
        """)
        #expect(s.rootGraph?.nodes.last?.types == [.batched(3)])
        // ... and is checked per choice when a consumer does not.
        let e = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        a = x -> relu
        b = x -> max_pool2d(kernel: 2)
        return input_choice(a, b, label: "pick", reduction: none) -> flatten -> linear(in: 48, out: 2)
        """))
        #expect(e.contains("linear expects 48 input features, but gets 192 (input f32[N,192]) when pick = inputs [0]"))
    }

    @Test func cellOpsMustKeepShapes() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [4, 8, 8]
        c = x -> cell("c", nodes: 2, ops_per_node: 2) { keep: identity, grow: conv2d(out: 8, kernel: 1) }
        return c
        """))
        #expect(d.contains("error: node 1 of cell 'c' sums f32[N,4,8,8] and f32[N,8,8,8], which differ when c/op_1_0 = keep, c/op_1_1 = grow"))
        #expect(d.contains("hint: every op candidate of a cell must keep the shape of its input"))
    }

    @Test func cellPredecessorsMustAgreeSpatially() throws {
        // The DARTS example without its factorized reduction of the older input after a reduction cell.
        let src = try ExampleSupport.read("examples/darts.nas")
            .replacingOccurrences(of: "reductionPrev == 1 ? (s0 -> FactorizedReduce(C)) : (s0 -> ReLUConvBN(C, 1))", with: "s0 -> ReLUConvBN(C, 1)")
        let d = try #require(ExampleSupport.diagnostics(src, file: "darts.nas"))
        #expect(d.contains("darts.nas:47:23: error: the predecessors of cell 'normal' differ in spatial size: f32[N,32,32,32] (input 0) and f32[N,32,16,16] (input 1)"))
        #expect(d.contains("1 error generated."))
    }

    @Test func manyIndependentChoicesAreCheckedWithoutEnumeration() throws {
        // 40 layer choices in a chain: 3^40 architectures. The checker keeps one alternative per value.
        var src = "input x: [8, 16, 16]\nh = x\n"
        for i in 0..<40 {
            src += "h = h -> layer_choice(\"l\(i)\") { a: identity, b: conv2d(out: 8, kernel: 3, padding: 1), c: max_pool2d(kernel: 3, stride: 1, padding: 1) }\n"
        }
        src += "return h -> global_avg_pool -> linear(in: 8, out: 2)\n"
        let t0 = Date()
        let s = try ExampleSupport.compile(src)
        #expect(Date().timeIntervalSince(t0) < 5)
        #expect("\(try SearchSpace(s).size)" == BigProduct.of(Array(repeating: 3, count: 40)))
        #expect(s.rootGraph?.nodes.last?.types == [.batched(2)])
    }

    @Test func shapeDependentChoicesStayCorrelatedDownstream() throws {
        // The width choice changes shapes everywhere; a stated in-feature count only fits one width.
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        w = choice("w", [2, 4])
        h = x -> conv2d(out: w, kernel: 1) -> relu -> flatten
        return h -> linear(in: 128, out: 10)
        """))
        #expect(d.contains("linear expects 128 input features, but gets 256 (input f32[N,256]) when w = 4"))
        #expect(d.contains("note: value choice 'w' = 4"))
    }

    @Test func badValueChoiceValuesAreReported() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        k = choice("k", [0, 3])
        return x -> conv2d(out: 4, kernel: k, padding: same)
        """))
        #expect(d.contains("kernel of conv2d must be at least 1, but is 0 when k = 0"))
    }

    @Test func everyErrorIsReportedInOneRun() throws {
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [3, 8, 8]
        a = x -> conv2d(out: 4, kernel: 9)
        b = x -> linear(in: 7, out: 2)
        return add(a, b)
        """))
        #expect(d.contains("t.nas:2:10: error: conv2d with kernel 9"))
        #expect(d.contains("t.nas:3:10: error: linear expects 7 input features, but gets 8 (input f32[N,3,8,8])"))
        #expect(d.contains("hint: linear acts on the last dimension: insert flatten (or global_avg_pool) before it"))
        #expect(d.contains("2 errors generated."))
    }
}
