// ElaborationTests: .nas constructs map onto the IR exactly (ops, attributes, primitives, blocks, labels).
import Testing
import NASCFrontend
import NASCIR

@Suite struct ElaborationTests {
    func root(_ src: String) throws -> (ModelSpace, Graph) {
        let s = try ExampleSupport.compile(src)
        return (s, try #require(s.rootGraph))
    }

    @Test func inputTypeAndOpAttributes() throws {
        let (_, g) = try root("""
        input x: [1, 27, 27]
        h = x -> conv2d(out: 8, kernel: 3, stride: 2, padding: same, dilation: 1, groups: 1, bias: false)
        return h
        """)
        #expect(g.inputs == [GraphInput(name: "x", type: .batched(1, 27, 27), location: SourceLocation(file: "t.nas", line: 1, column: 7))])
        let n = try #require(g.nodes.first)
        #expect(n.op == .conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(3), stride: .int(2), padding: .same, bias: false)))
        #expect(n.name == "h")
        #expect(n.location == SourceLocation(file: "t.nas", line: 2, column: 10))
        #expect(n.types == [.batched(8, 14, 14)])
        #expect(g.outputs == [ValueRef("h")])
    }

    @Test func everyBaseOpMapsToItsIRKind() throws {
        let (_, g) = try root("""
        input x: [4, 8, 8]
        a = x -> conv2d(out: 4, kernel: 3, padding: 1)
        b = a -> depthwise_conv2d(kernel: 3, padding: 1) -> separable_conv2d(out: 4, kernel: 3, padding: 1)
        c = b -> batch_norm -> relu -> relu6 -> sigmoid -> tanh -> gelu -> hardswish
        d = c -> max_pool2d(kernel: 2) -> avg_pool2d(kernel: 1)
        e = mul(add(d, d), d) -> identity -> zero -> dropout(p: 0.1)
        f = concat(e, e) -> global_avg_pool
        g2 = f -> linear(out: 6) -> layer_norm -> softmax
        h = x -> flatten -> log_softmax
        return g2, h
        """)
        let kinds = g.nodes.map(\.op.kind)
        #expect(kinds == [.conv2d, .depthwiseConv2d, .separableConv2d, .batchNorm, .relu, .relu6, .sigmoid, .tanh, .gelu,
                          .hardswish, .maxPool2d, .avgPool2d, .add, .mul, .identity, .zero, .dropout, .concat,
                          .globalAvgPool, .linear, .layerNorm, .softmax, .flatten, .logSoftmax])
        #expect(g.nodes.first { $0.op.kind == .concat }?.types == [.batched(8, 4, 4)])
        #expect(g.outputs.count == 2)
    }

    @Test func pytorchSpellingsAndPositionalAttributes() throws {
        let (_, g) = try root("""
        input x: [3, 8, 8]
        a = conv2d(x, 16, 3, padding: 1)
        b = a -> conv2d(out_channels: 16, kernel_size: 1) -> batchnorm2d -> maxpool(2) -> flatten -> linear(in_features: 256, out_features: 10)
        return b
        """)
        #expect(g.nodes[0].op == .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .int(3), padding: .explicit(.int(1)))))
        #expect(g.nodes[1].op == .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .int(1))))
        #expect(g.nodes.last?.op == .linear(LinearAttrs(outFeatures: .int(10), inFeatures: .int(256))))
    }

    @Test func valueChoiceArithmeticAndSharedLabels() throws {
        let (s, g) = try root("""
        input x: [3, 8, 8]
        w = choice("width", [16, 32, 64])
        a = x -> conv2d(out: w * 2, kernel: 3, padding: 1)
        v = choice("width", [16, 32, 64])
        b = a -> conv2d(out: v, kernel: choice([1, 3]), padding: same)
        return b
        """)
        #expect(s.valueChoices.map(\.label) == ["width", "b_kernel"])
        #expect(s.valueChoices[0].values == [.int(16), .int(32), .int(64)])
        guard case .conv2d(let a) = g.nodes[0].op, case .conv2d(let b) = g.nodes[1].op else { Issue.record("ops"); return }
        #expect(a.outChannels == .binary(.mul, .choice("width"), .int(2)))
        #expect(b.outChannels == .choice("width"))
        #expect(b.kernel == .choice("b_kernel"))
        // Types that depend on a choice are left empty; fixed ones are filled.
        #expect(g.nodes[0].types.isEmpty)
        #expect(try SearchSpace(s).size.description == "6")
    }

    @Test func callFormsAndMultiInputChoices() throws {
        let (s, g) = try root("""
        input x: [4, 8, 8]
        a = relu(x)
        l = conv2d(out: 4, kernel: 1) -> tanh
        b = l(a)
        c = layer_choice("merge") { sum: add, prod: mul, cat: concat -> conv2d(out: 4, kernel: 1) }(a, b)
        return c
        """)
        #expect(g.nodes.map(\.op.kind) == [.relu, .conv2d, .tanh, .layerChoice])
        guard case .layerChoice(let lc) = g.nodes[3].op else { Issue.record("layer choice"); return }
        #expect(g.nodes[3].inputs == [ValueRef("a"), ValueRef("b")])
        let cat = try #require(s.graph(named: lc.candidates[2].graph))
        #expect(cat.inputs.count == 2)
        #expect(cat.nodes.map(\.op.kind) == [.concat, .conv2d])
        #expect(g.nodes[3].types == [.batched(4, 8, 8)])
    }

    @Test func unusedValueChoicesAreNotDecisions() throws {
        let (s, _) = try root("""
        input x: [4]
        w = choice("unused", [1, 2])
        return x -> linear(out: 3)
        """)
        #expect(s.valueChoices.isEmpty)
        #expect(try SearchSpace(s).decisions.isEmpty)
    }

    @Test func layerChoiceCandidatesAreSubgraphs() throws {
        let (s, g) = try root("""
        input x: [3, 8, 8]
        c = x -> layer_choice("op") {
            conv: conv2d(out: 3, kernel: 3, padding: 1) -> relu
            skip: identity
        }
        return c
        """)
        guard case .layerChoice(let lc) = g.nodes[0].op else { Issue.record("layer choice"); return }
        #expect(lc.label == "op")
        #expect(lc.candidates.map(\.name) == ["conv", "skip"])
        let conv = try #require(s.graph(named: lc.candidates[0].graph))
        #expect(conv.inputs.map(\.type) == [.batched(3, 8, 8)])
        #expect(conv.nodes.map(\.op.kind) == [.conv2d, .relu])
        #expect(conv.location == SourceLocation(file: "t.nas", line: 3, column: 5))
        #expect(g.nodes[0].types == [.batched(3, 8, 8)])
    }

    @Test func inputChoiceForms() throws {
        let (_, g) = try root("""
        input x: [3, 8, 8]
        a = x -> relu
        b = x -> tanh
        s1 = input_choice(a, b, label: "s1")
        s2 = input_choice(a, b, n_chosen: any, reduction: mean)
        s3 = (a, b) -> input_choice(n_chosen: 2, reduction: concat)
        s4 = input_choice([a, b], label: "s1")
        return add(s1, s2, s4), s3
        """)
        let ics = g.nodes.compactMap { n -> InputChoiceOp? in if case .inputChoice(let c) = n.op { return c }; return nil }
        #expect(ics == [InputChoiceOp(label: "s1", nChosen: 1, reduction: .sum), InputChoiceOp(label: "s2", nChosen: nil, reduction: .mean),
                        InputChoiceOp(label: "s3", nChosen: 2, reduction: .concat), InputChoiceOp(label: "s1", nChosen: 1, reduction: .sum)])
        #expect(g.node(named: "s3")?.types == [.batched(6, 8, 8)])
    }

    @Test func repeatFactorySeesTheIndex() throws {
        let (s, g) = try root("""
        input x: [4, 16, 16]
        r = x -> repeat("depth", depth: [0, 1, 2, 3]) { i => conv2d(out: 4 * (i + 1), kernel: 1) }
        return r
        """)
        guard case .repeated(let r) = g.nodes[0].op else { Issue.record("repeat"); return }
        #expect(r.label == "depth" && r.depths == [0, 1, 2, 3] && r.blocks.count == 3)
        for (i, b) in r.blocks.enumerated() {
            let block = try #require(s.graph(named: b))
            #expect(block.nodes.first?.op == .conv2d(Conv2DAttrs(outChannels: .int(4 * (i + 1)), kernel: .int(1))))
        }
        #expect(g.nodes[0].types.isEmpty) // 4, 4, 8 or 12 channels
    }

    @Test func repeatDepthAsALabelledChoice() throws {
        let (_, g) = try root("""
        input x: [4, 16, 16]
        r = x -> repeat(depth: choice("d", [1, 2])) { relu }
        return r
        """)
        guard case .repeated(let r) = g.nodes[0].op else { Issue.record("repeat"); return }
        #expect(r.label == "d" && r.depths == [1, 2])
    }

    @Test func cellExpansionFollowsNNI() throws {
        let (s, g) = try root("""
        input x: [8, 16, 16]
        c = (x, x) -> cell("red", nodes: 3, ops_per_node: 2, stride: 2) { s =>
            pool: max_pool2d(kernel: 3, stride: s, padding: 1)
            conv: conv2d(out: 8, kernel: 3, stride: s, padding: 1)
        }
        return c
        """)
        guard case .cell(let c) = g.nodes[0].op else { Issue.record("cell"); return }
        #expect(c.label == "red" && c.numNodes == 3 && c.opsPerNode == 2 && c.merge == .all)
        #expect(c.candidates.map(\.name) == ["pool", "conv"])
        #expect(c.inputCandidates.map(\.name) == ["pool", "conv"])
        let strided = try #require(s.graph(named: c.inputCandidates[0].graph))
        #expect(strided.nodes[0].op == .maxPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(2), padding: .explicit(.int(1)))))
        #expect(g.nodes[0].types == [.batched(24, 8, 8)])
        let labels = try SearchSpace(s).labels
        #expect(labels.contains("red/op_2_0") && labels.contains("red/input_4_1"))
        #expect(labels.count == 3 * 2 * 2)
    }

    @Test func looseEndCellOutputVariesWithTheChoices() throws {
        let (s, g) = try root("""
        input x: [4, 8, 8]
        c = x -> cell("c", nodes: 3, merge: loose_end) { a: identity, b: conv2d(out: 4, kernel: 3, padding: 1) }
        return c -> global_avg_pool
        """)
        guard case .cell(let c) = g.nodes[0].op else { Issue.record("cell"); return }
        #expect(c.merge == .looseEnd && c.opsPerNode == 1)
        #expect(g.nodes[0].types.isEmpty) // 4, 8 or 12 channels
        #expect(try SearchSpace(s).decisions.count == 6)
        // A consumer that needs a fixed channel count is rejected for some combinations.
        let d = try #require(ExampleSupport.diagnostics("""
        input x: [4, 8, 8]
        c = x -> cell("c", nodes: 3, merge: loose_end) { a: identity, b: conv2d(out: 4, kernel: 3, padding: 1) }
        return c -> conv2d(in: 12, out: 4, kernel: 1)
        """))
        #expect(d.contains("conv2d expects 12 input channels, but gets 4"))
    }

    @Test func blocksAreInlinedWithPrefixedNamesAndChannelsInference() throws {
        let (s, g) = try root("""
        input x: [8, 16, 16]
        block MBConv(out, expand, kernel = 3)(x) {
            h = x -> conv2d(out: channels(x) * expand, kernel: 1) -> relu6
            h = h -> depthwise_conv2d(kernel: kernel, padding: same)
            return h -> conv2d(out: out, kernel: 1)
        }
        b1 = x -> MBConv(16, 6)
        b2 = MBConv(16, expand: choice([3, 6]), kernel: 5)(b1)
        return b2
        """)
        #expect(g.nodes.map(\.name).prefix(3) == ["b1_h_conv2d", "b1_h", "b1_h_depthwise_conv2d"])
        guard case .conv2d(let first) = g.nodes[0].op else { Issue.record("conv"); return }
        #expect(first.outChannels == .int(48))
        let second = try #require(g.nodes.first { $0.name == "b2_h_conv2d" })
        guard case .conv2d(let e) = second.op else { Issue.record("conv"); return }
        #expect(e.outChannels == .binary(.mul, .int(16), .choice("b2_expand")))
        #expect(s.valueChoices.map(\.label) == ["b2_expand"])
        // Locations point into the block body.
        #expect(g.nodes[0].location.line == 3)
        #expect(g.nodes.last?.types == [.batched(16, 16, 16)])
    }

    @Test func generatedLabelsFollowStructureNotLines() throws {
        let a = """
        input x: [3, 8, 8]
        block B(c)(x) {
            op = x -> layer_choice { a: relu, b: conv2d(out: c, kernel: 1) }
            return op
        }
        first = x -> B(3)
        w = choice([4, 8])
        second = first -> conv2d(out: w, kernel: 1)
        return second
        """
        let b = """
        # an unrelated comment shifts every line
        input x: [3, 8, 8]
        extra = x -> relu

        block B(c)(x) {
            op = x -> layer_choice { a: relu, b: conv2d(out: c, kernel: 1) }
            return op
        }
        first = x -> B(3)
        w = choice([4, 8])
        second = first -> conv2d(out: w, kernel: 1)
        return second
        """
        let la = try SearchSpace(try ExampleSupport.compile(a)).labels
        let lb = try SearchSpace(try ExampleSupport.compile(b)).labels
        #expect(la == ["first/op", "w"])
        #expect(la == lb)
    }

    @Test func loopsListsAndStrings() throws {
        let (s, g) = try root("""
        input x: [4, 8, 8]
        h = x
        outs = []
        for i in range(3) {
            h = h -> layer_choice("l" + i) { a: relu, b: tanh }
            outs = outs + [h]
        }
        return concat(outs[0], outs[-1])
        """)
        #expect(try SearchSpace(s).labels == ["l0", "l1", "l2"])
        #expect(g.nodes.last?.types == [.batched(8, 8, 8)])
    }

    /// A label joined from several strings and loop indices (`"l" + i + "/s" + j`) is a positional label argument.
    @Test func nestedLoopLabelsJoinSeveralTerms() throws {
        let (s, _) = try root("""
        input x: [4]
        h = x
        for i in range(2) {
            for j in range(i + 1) {
                h = h -> layer_choice("l" + i + "/s" + j) { a: relu, b: identity }
            }
        }
        return h
        """)
        #expect(try SearchSpace(s).labels == ["l0/s0", "l1/s0", "l1/s1"])
    }
}
