// Round-trip tests of the text IR on programmatic spaces: every op kind, every attribute form, names, locations.
import Testing
@testable import NASCIR

@Suite struct TextIRRoundTripTests {
    static func loc(_ line: Int, _ col: Int = 0, file: String = "gen.nas") -> NASCIR.SourceLocation {
        NASCIR.SourceLocation(file: file, line: line, column: col)
    }

    /// One op of every kind (every activation included), exercising every `Attribute` form.
    static let everyOp: [Op] = [
        .conv2d(Conv2DAttrs(outChannels: .binary(.mul, .choice("width"), .int(2)), kernel: .int(3), stride: .int(2), padding: .same,
                            dilation: .int(2), groups: .int(4), bias: false, inChannels: .int(8))),
        .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .choice("k"), padding: .explicit(.binary(.floorDiv, .choice("k"), .int(2))))),
        .depthwiseConv2d(DepthwiseConv2DAttrs(kernel: .int(5), stride: .int(2), padding: .explicit(.int(2)), dilation: .int(3), bias: false)),
        .separableConv2d(SeparableConv2DAttrs(outChannels: .int(16), kernel: .int(3), stride: .int(2), padding: .same, dilation: .int(2), bias: false)),
        .linear(LinearAttrs(outFeatures: .int(10))),
        .linear(LinearAttrs(outFeatures: .choice("hidden"), bias: false, inFeatures: .int(9216))),
        .batchNorm(BatchNormAttrs(eps: 1e-3, momentum: 0.01, affine: false)),
        .batchNorm(BatchNormAttrs()),
        .layerNorm(LayerNormAttrs(eps: 1.5e-7, affine: false)),
        .activation(.relu), .activation(.relu6), .activation(.sigmoid), .activation(.tanh), .activation(.gelu), .activation(.hardswish),
        .maxPool2d(Pool2DAttrs(kernel: .int(2))),
        .maxPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(2), padding: .same)),
        .avgPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1)), countIncludePad: false)),
        .globalAvgPool, .flatten,
        .dropout(p: .float(0.5)), .dropout(p: .choice("drop rate")),
        .add, .mul, .concat(axis: 1), .identity,
        .zero(stride: .int(1)), .zero(stride: .int(2)),
        .softmax(axis: -1), .logSoftmax(axis: 1),
        .call(graph: "block"), .call(graph: "odd graph/name"),
        .layerChoice(LayerChoiceOp(label: "conv1", candidates: [NamedGraph(name: "conv3", graph: "block"),
                                                                NamedGraph(name: "3x3 sep", graph: "odd graph/name")])),
        .layerChoice(LayerChoiceOp(label: "empty", candidates: [])),
        .inputChoice(InputChoiceOp(label: "skip", nChosen: 1, reduction: .sum)),
        .inputChoice(InputChoiceOp(label: "any \"of\" them\\\n", nChosen: nil, reduction: .concat)),
        .inputChoice(InputChoiceOp(label: "two", nChosen: 2, reduction: .mean)),
        .inputChoice(InputChoiceOp(label: "raw", nChosen: 0, reduction: .none)),
        .repeated(RepeatOp(label: "depth", depths: [0, 1, 2], blocks: ["block", "odd graph/name"])),
        .repeated(RepeatOp(label: "nothing", depths: [], blocks: [])),
        .repeated(RepeatOp(label: "neg", depths: [-1, Int.max, Int.min], blocks: [])),
        .cell(CellOp(label: "normal", numNodes: 4, opsPerNode: 2,
                     candidates: [NamedGraph(name: "skip", graph: "block"), NamedGraph(name: "none", graph: "odd graph/name")])),
        .cell(CellOp(label: "reduce", numNodes: 3, opsPerNode: 1, candidates: [NamedGraph(name: "skip", graph: "block")],
                     inputCandidates: [NamedGraph(name: "skip", graph: "block")], merge: .looseEnd)),
        .cell(CellOp(label: "bare", numNodes: 0, opsPerNode: 0, candidates: [], inputCandidates: [])),
        // Training ops (explicit params, losses, gradients from autodiff).
        .param(ParamAttrs(name: "conv1.weight", shape: [32, 1, 3, 3], initializer: .kaimingUniform(fanIn: 9))),
        .param(ParamAttrs(name: "bn \"odd\".running_var", shape: [], initializer: .ones, trainable: false)),
        .softmaxCrossEntropy(labelSmoothing: 0.1), .nllLoss, .paramGrad,
        .conv2dGradInput(Conv2DAttrs(outChannels: .int(8), kernel: .int(3), stride: .int(2), padding: .same)),
        .conv2dGradWeight(Conv2DAttrs(outChannels: .int(8), kernel: .int(3))), .conv2dGradBias(Conv2DAttrs(outChannels: .int(8), kernel: .int(1))),
        .depthwiseConv2dGradInput(DepthwiseConv2DAttrs(kernel: .int(3))), .depthwiseConv2dGradWeight(DepthwiseConv2DAttrs(kernel: .int(5))),
        .depthwiseConv2dGradBias(DepthwiseConv2DAttrs(kernel: .int(3), bias: true)),
        .linearGradInput(LinearAttrs(outFeatures: .int(10))), .linearGradWeight(LinearAttrs(outFeatures: .int(10))),
        .linearGradBias(LinearAttrs(outFeatures: .int(10))),
        .batchNormGrad(BatchNormAttrs(affine: false)), .layerNormGrad(LayerNormAttrs(eps: 1e-6)),
        .activationGrad(.hardswish), .maxPool2dGrad(Pool2DAttrs(kernel: .int(2))),
        .avgPool2dGrad(Pool2DAttrs(kernel: .int(3), countIncludePad: false)), .globalAvgPoolGrad, .flattenGrad,
        .dropoutGrad(p: .float(0.5)), .mulGrad, .concatGrad(axis: 1), .softmaxGrad(axis: -1), .logSoftmaxGrad(axis: 1),
        .softmaxCrossEntropyGrad(labelSmoothing: 0), .nllLossGrad, .mseLoss, .mseLossGrad,
        .fusedConv2d(FusedConv2DAttrs(conv: Conv2DAttrs(outChannels: .int(8), kernel: .int(3)), batchNorm: BatchNormAttrs(),
                                      activation: .gelu)),
        .weightedSum, .weightedSumGrad, .switchOp(SwitchAttrs(label: "op", count: 3)), .switchGrad(SwitchAttrs(label: "op", count: 2)),
        .scale(factor: 1.0 / 3),
        .embedding(EmbeddingAttrs(vocab: .int(100), dim: .choice("d"))), .globalMaxPool1d, .globalAvgPool1d, .multiheadAttention(AttentionAttrs(heads: .choice("h"))), .lstm(RecurrentAttrs(hidden: .choice("hid"), bidirectional: true)), .gru(RecurrentAttrs(hidden: .int(16))), .conv1d(Conv1DAttrs(outChannels: .choice("w"), kernel: .int(3), stride: .int(2), padding: .same, dilation: .int(2), groups: .int(2), bias: false, inChannels: .int(8))), .maxPool1d(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .same)), .avgPool1d(Pool1DAttrs(kernel: .int(2))), .transpose(TransposeAttrs(dim0: 1, dim1: -1)), 
        .embeddingGrad(EmbeddingAttrs(vocab: .int(100), dim: .int(8))), .globalMaxPool1dGrad, .globalAvgPool1dGrad, .multiheadAttentionGrad(AttentionAttrs(heads: .int(2))), .lstmGrad(RecurrentAttrs(hidden: .int(8))), .gruGrad(RecurrentAttrs(hidden: .int(4), bidirectional: true)), .conv1dGradInput(Conv1DAttrs(outChannels: .int(4), kernel: .int(3))), .conv1dGradWeight(Conv1DAttrs(outChannels: .int(4), kernel: .int(5), padding: .explicit(.int(2)))), .conv1dGradBias(Conv1DAttrs(outChannels: .int(4), kernel: .int(1))), .maxPool1dGrad(Pool1DAttrs(kernel: .int(2))), .avgPool1dGrad(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1)))), 
    ]

    /// A space using every op, with all locations known.
    static func everyOpSpace(locations: Bool = true) -> ModelSpace {
        func l(_ line: Int, _ col: Int) -> NASCIR.SourceLocation { locations ? loc(line, col) : .unknown }
        var nodes: [Node] = []
        for (i, op) in everyOp.enumerated() {
            let inputs: [ValueRef] = op.kind == .add || op.kind == .mul ? [ValueRef("x"), ValueRef("y")]
                : i == 3 ? [ValueRef("n2", slot: 1)] : [ValueRef(i == 0 ? "x" : "n\(i - 1)")]
            let types: [TensorType] = i % 3 == 0 ? [.batched(16, 8, 8)] : i % 3 == 1 ? [] : [.batched(4), TensorType(.i64, [.batch])]
            nodes.append(Node(name: "n\(i)", op: op, inputs: inputs, types: types, location: l(10 + i, 3)))
        }
        nodes.append(Node(name: "weird name", op: .identity, inputs: [ValueRef("n0")], location: l(90, 1)))
        nodes.append(Node(name: "dotted.name_2", op: .add, inputs: [ValueRef("weird name"), ValueRef("n5", slot: 12)],
                          types: [TensorType(.f32, [])], location: l(91, 1)))
        let main = Graph(name: "main", inputs: [GraphInput(name: "x", type: .batched(3, 32, 32), location: l(5, 12)),
                                                GraphInput(name: "y", type: TensorType(.i64, [.batch, .fixed(0)]), location: l(5, 30))],
                         nodes: nodes, outputs: [ValueRef("dotted.name_2"), ValueRef("n1", slot: 1)], location: l(5, 1))
        let block = Graph(name: "block", inputs: [GraphInput(name: "in", type: .batched(16, 8, 8), location: l(100, 14))],
                          nodes: [Node(name: "r", op: .activation(.relu), inputs: [ValueRef("in")], location: l(101, 3))],
                          outputs: [ValueRef("r")], location: l(100, 1))
        let odd = Graph(name: "odd graph/name", inputs: [], nodes: [], outputs: [], location: l(110, 1))
        return ModelSpace(name: "every \"op\"", root: "main", graphs: [main, block, odd], valueChoices: [
            ValueChoiceDecl(label: "width", values: [.int(16), .int(32), .int(-8)], location: l(2, 1)),
            ValueChoiceDecl(label: "drop rate", values: [.float(0.1), .float(0.25), .float(1e-7), .float(-0.0), .float(1e300)], location: l(3, 1)),
            ValueChoiceDecl(label: "mixed", values: [.int(1), .float(1)], location: l(4, 1)),
            ValueChoiceDecl(label: "none", values: [], location: l(4, 40)),
        ])
    }

    @Test func everyOpKindIsCovered() {
        #expect(Set(Self.everyOp.map(\.kind)) == Set(OpKind.allCases))
    }

    @Test func everyAttributeFormIsCovered() {
        var forms: Set<String> = []
        for op in Self.everyOp {
            for a in op.attributes {
                switch a.value {
                case .expr: forms.insert("expr")
                case .bool: forms.insert("bool")
                case .string: forms.insert("string")
                case .symbol: forms.insert("symbol")
                case .graph: forms.insert("graph")
                case .ints: forms.insert("ints")
                case .graphs: forms.insert("graphs")
                case .candidates: forms.insert("candidates")
                }
            }
        }
        #expect(forms == ["expr", "bool", "string", "symbol", "graph", "ints", "graphs", "candidates"])
    }

    @Test func programmaticSpaceRoundTripsWithLocations() throws {
        let space = Self.everyOpSpace()
        let text = TextIR.print(space)
        let back = try TextIR.parse(text, file: "printed.nir")
        #expect(back == space)
        // Stable: printing again gives the same bytes.
        #expect(TextIR.print(back) == text)
    }

    @Test func programmaticSpaceRoundTripsWithoutLocations() throws {
        let text = TextIR.print(Self.everyOpSpace(locations: false))
        #expect(!text.contains("loc("))
        let back = try TextIR.parse(text, file: "printed.nir")
        #expect(TextIR.print(back, locations: false) == text)
        // Apart from locations (now text positions), the parsed space is the original.
        var stripped = back
        for gi in stripped.graphs.indices {
            stripped.graphs[gi].location = .unknown
            for i in stripped.graphs[gi].inputs.indices { stripped.graphs[gi].inputs[i].location = .unknown }
            for i in stripped.graphs[gi].nodes.indices { stripped.graphs[gi].nodes[i].location = .unknown }
        }
        for i in stripped.valueChoices.indices { stripped.valueChoices[i].location = .unknown }
        #expect(stripped == Self.everyOpSpace(locations: false))
    }

    @Test func printedFormIsCanonical() {
        let text = TextIR.print(Self.everyOpSpace())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == #"space "every \"op\"" version 1 root @main"#)
        #expect(lines[1] == #"value_choice "width" [16, 32, -8] loc("gen.nas":2:1)"#)
        #expect(lines[2] == #"value_choice "drop rate" [0.1, 0.25, 1e-07, -0.0, 1e+300] loc("gen.nas":3:1)"#)
        #expect(lines[3] == #"value_choice "mixed" [1, 1.0] loc("gen.nas":4:1)"#)
        #expect(lines[4] == #"value_choice "none" [] loc("gen.nas":4:40)"#)
        #expect(lines[5] == "")
        #expect(lines[6] == #"graph @main(%x: f32[N,3,32,32] loc("gen.nas":5:12), %y: i64[N,0] loc("gen.nas":5:30)) loc("gen.nas":5:1) {"#)
        #expect(lines[7] == #"  %n0 = conv2d(%x) {in = 8, out = $width * 2, kernel = 3, stride = 2, padding = same, dilation = 2, groups = 4, bias = false} : f32[N,16,8,8] loc("gen.nas":10:3)"#)
        #expect(lines.contains(#"  %n3 = separable_conv2d(%n2#1) {out = 16, kernel = 3, stride = 2, padding = same, dilation = 2, bias = false} : f32[N,16,8,8] loc("gen.nas":13:3)"#))
        #expect(lines.contains(#"  %n21 = dropout(%n20) {p = $"drop rate"} : f32[N,16,8,8] loc("gen.nas":31:3)"#))
        #expect(lines.contains(#"  %n32 = layer_choice(%n31) {label = "conv1", candidates = [conv3 = @block, "3x3 sep" = @"odd graph/name"]} : f32[N,4], i64[N] loc("gen.nas":42:3)"#))
        #expect(lines.contains(#"  %n35 = input_choice(%n34) {label = "any \"of\" them\\\n", n_chosen = any, reduction = concat} : f32[N,4], i64[N] loc("gen.nas":45:3)"#))
        #expect(lines.contains(#"  %n38 = repeat(%n37) {label = "depth", depths = [0, 1, 2], blocks = [@block, @"odd graph/name"]} : f32[N,4], i64[N] loc("gen.nas":48:3)"#))
        #expect(lines.contains(#"  %n39 = repeat(%n38) {label = "nothing", depths = [], blocks = []} : f32[N,16,8,8] loc("gen.nas":49:3)"#))
        #expect(lines.contains(#"  %"weird name" = identity(%n0) loc("gen.nas":90:1)"#))
        #expect(lines.contains(#"  %dotted.name_2 = add(%"weird name", %n5#12) : f32[] loc("gen.nas":91:1)"#))
        #expect(lines.contains("  return %dotted.name_2, %n1#1"))
        #expect(text.hasSuffix("graph @\"odd graph/name\"() loc(\"gen.nas\":110:1) {\n  return\n}\n"))
    }

    @Test func locationsWithUnknownParts() throws {
        let g = Graph(name: "g", nodes: [
            Node(name: "a", op: .identity, inputs: [], location: NASCIR.SourceLocation(file: "f.nas")),
            Node(name: "b", op: .identity, inputs: [], location: NASCIR.SourceLocation(file: "f.nas", line: 7)),
            Node(name: "c", op: .identity, inputs: [], location: NASCIR.SourceLocation(file: "", line: 7, column: 2)),
        ], outputs: [ValueRef("a")], location: NASCIR.SourceLocation(file: "dir/x y.nas", line: 1, column: 1))
        let space = ModelSpace(name: "s", root: "g", graphs: [g])
        let text = TextIR.print(space)
        #expect(text.contains(#"%a = identity() loc("f.nas")"#))
        #expect(text.contains(#"%b = identity() loc("f.nas":7)"#))
        #expect(text.contains(#"%c = identity() loc("":7:2)"#))
        #expect(try TextIR.parse(text, file: "t.nir") == space)
    }

    @Test func unknownLocationsBecomeTextPositions() throws {
        let space = ModelSpace(name: "s", root: "g", graphs: [
            Graph(name: "g", inputs: [GraphInput(name: "x", type: .batched(4))],
                  nodes: [Node(name: "r", op: .activation(.relu), inputs: [ValueRef("x")])], outputs: [ValueRef("r")]),
        ], valueChoices: [ValueChoiceDecl(label: "w", values: [.int(1)])])
        let text = TextIR.print(space)
        #expect(text == """
            space "s" version 1 root @g
            value_choice "w" [1]

            graph @g(%x: f32[N,4]) {
              %r = relu(%x)
              return %r
            }

            """)
        let back = try TextIR.parse(text, file: "t.nir")
        #expect(back.valueChoices[0].location == NASCIR.SourceLocation(file: "t.nir", line: 2, column: 1))
        #expect(back.graphs[0].location == NASCIR.SourceLocation(file: "t.nir", line: 4, column: 1))
        #expect(back.graphs[0].inputs[0].location == NASCIR.SourceLocation(file: "t.nir", line: 4, column: 10))
        #expect(back.graphs[0].nodes[0].location == NASCIR.SourceLocation(file: "t.nir", line: 5, column: 3))
        #expect(TextIR.print(back, locations: false) == text)
        #expect(TextIR.print(back).contains(#"%r = relu(%x) loc("t.nir":5:3)"#))
    }

    @Test func emptySpacePrintsHeaderOnly() throws {
        let space = ModelSpace(name: "", root: "", graphs: [])
        #expect(TextIR.print(space) == "space \"\" version 1 root @\"\"\n")
        #expect(try TextIR.parse(TextIR.print(space), file: "e.nir") == space)
    }

    @Test func lenientInputIsAccepted() throws {
        // Comments, extra blank lines and spaces, attributes in any order, defaults spelled out.
        let text = """
            // a comment
              // an indented comment
            space   "s"  version 1 root @g


            graph @g( %x : f32[ N , 4 ] ) {
            // comment inside a graph
              %c = conv2d(%x) {padding = valid, stride = 1, kernel = 3, out = 8}
              %s = softmax( %c )
              return %s
            }
            """
        let space = try TextIR.parse(text, file: "l.nir")
        #expect(space.graphs[0].nodes[0].op == .conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(3))))
        #expect(space.graphs[0].nodes[1].op == .softmax(axis: -1))
        #expect(TextIR.print(space, locations: false) == """
            space "s" version 1 root @g

            graph @g(%x: f32[N,4]) {
              %c = conv2d(%x) {out = 8, kernel = 3}
              %s = softmax(%c) {axis = -1}
              return %s
            }

            """)
    }
}
