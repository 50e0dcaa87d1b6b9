// ProtoSamples: model spaces and architectures built in Swift that cover every op kind, attribute form,
// value-expression form, dtype and location shape, for the protobuf tests.
@testable import NASCIR

enum ProtoSamples {
    static func loc(_ line: Int, _ col: Int = 1) -> SourceLocation { SourceLocation(file: "sample.nas", line: line, column: col) }

    /// An expression using every binary operator, neg, min, max, cond, int/float constants and choices.
    static var everyExpr: ValueExpr {
        var e: ValueExpr = .choice("width")
        for (i, op) in BinaryOp.allCases.enumerated() {
            e = .binary(op, e, i % 2 == 0 ? .int(i + 1) : .float(Double(i) + 0.25))
        }
        return .cond(.binary(.gt, .choice("a/b"), .int(1)),
                     .min([e, .neg(.choice("width")), .max([.int(-3), .float(-0.5), .choice("a/b")])]),
                     .max([]))
    }

    /// One op of every kind (every activation too), with non-default attributes where they exist.
    static var everyOp: [Op] {
        [
            .conv2d(Conv2DAttrs(outChannels: .binary(.mul, .choice("width"), .int(2)), kernel: .int(3), stride: .int(2),
                                padding: .same, dilation: .int(2), groups: .int(4), bias: false, inChannels: .int(8))),
            .conv2d(Conv2DAttrs(outChannels: everyExpr, kernel: .choice("k"), padding: .explicit(.choice("pad")))),
            .depthwiseConv2d(DepthwiseConv2DAttrs(kernel: .int(5), padding: .explicit(.int(2)), bias: false)),
            .separableConv2d(SeparableConv2DAttrs(outChannels: .int(16), kernel: .int(3), stride: .int(2), dilation: .int(2))),
            .linear(LinearAttrs(outFeatures: .int(10))),
            .linear(LinearAttrs(outFeatures: .choice("width"), bias: false, inFeatures: .int(9216))),
            .batchNorm(BatchNormAttrs(eps: 1e-3, momentum: 0.01, affine: false)),
            .layerNorm(LayerNormAttrs(eps: 1e-6, affine: false)),
        ] + Activation.allCases.map { Op.activation($0) } + [
            .maxPool2d(Pool2DAttrs(kernel: .int(2))),
            .maxPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(2), padding: .same)),
            .avgPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1)), countIncludePad: false)),
            .globalAvgPool, .embedding(EmbeddingAttrs(vocab: .int(100), dim: .choice("d"))), .globalMaxPool1d, .globalAvgPool1d, .multiheadAttention(AttentionAttrs(heads: .choice("heads"))), .lstm(RecurrentAttrs(hidden: .choice("hid"), bidirectional: true)), .gru(RecurrentAttrs(hidden: .int(16))), .conv1d(Conv1DAttrs(outChannels: .choice("w"), kernel: .int(3), stride: .int(2), padding: .same, dilation: .int(2), groups: .int(2), bias: false, inChannels: .int(8))), .maxPool1d(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .same)), .avgPool1d(Pool1DAttrs(kernel: .int(2))), .transpose(TransposeAttrs(dim0: 1, dim1: -1)),  .flatten, .dropout(p: .float(0.5)), .dropout(p: .choice("drop")), .add, .mul, .scale(factor: 1.0 / 3),
            .concat(axis: 1), .identity, .zero(stride: .int(2)), .softmax(axis: -1), .logSoftmax(axis: 1),
            .call(graph: "blk"),
            .layerChoice(LayerChoiceOp(label: "conv1", candidates: [NamedGraph(name: "conv3", graph: "c3"),
                                                                    NamedGraph(name: "conv5", graph: "c5")])),
            .inputChoice(InputChoiceOp(label: "skip", nChosen: 1, reduction: .sum)),
            .inputChoice(InputChoiceOp(label: "skip2", nChosen: nil, reduction: .concat)),
            .inputChoice(InputChoiceOp(label: "skip3", nChosen: 2, reduction: .none)),
            .repeated(RepeatOp(label: "depth", depths: [0, 1, 2], blocks: ["b0", "b1"])),
            .cell(CellOp(label: "cell", numNodes: 4, opsPerNode: 2,
                         candidates: [NamedGraph(name: "skip", graph: "s"), NamedGraph(name: "conv", graph: "c3")])),
            .cell(CellOp(label: "rcell", numNodes: 2, opsPerNode: 1, candidates: [NamedGraph(name: "skip", graph: "s")],
                         inputCandidates: [NamedGraph(name: "skip", graph: "s2")], merge: .looseEnd)),
            // Training ops (explicit params, losses, gradients).
            .param(ParamAttrs(name: "conv1.weight", shape: [32, 1, 3, 3], initializer: .kaimingUniform(fanIn: 9))),
            .param(ParamAttrs(name: "bn.running_mean", shape: [4], initializer: .zeros, trainable: false)),
            .softmaxCrossEntropy(labelSmoothing: 0.1), .nllLoss, .paramGrad,
            .conv2dGradInput(Conv2DAttrs(outChannels: .int(8), kernel: .int(3), stride: .int(2))),
            .conv2dGradWeight(Conv2DAttrs(outChannels: .int(8), kernel: .int(3))), .conv2dGradBias(Conv2DAttrs(outChannels: .int(8), kernel: .int(1))),
            .depthwiseConv2dGradInput(DepthwiseConv2DAttrs(kernel: .int(3))), .depthwiseConv2dGradWeight(DepthwiseConv2DAttrs(kernel: .int(3))),
            .depthwiseConv2dGradBias(DepthwiseConv2DAttrs(kernel: .int(3))),
            .linearGradInput(LinearAttrs(outFeatures: .int(10))), .linearGradWeight(LinearAttrs(outFeatures: .int(10))),
            .linearGradBias(LinearAttrs(outFeatures: .int(10))), .batchNormGrad(BatchNormAttrs()), .layerNormGrad(LayerNormAttrs()),
            .activationGrad(.relu), .maxPool2dGrad(Pool2DAttrs(kernel: .int(2))), .avgPool2dGrad(Pool2DAttrs(kernel: .int(2))),
            .globalAvgPoolGrad, .embeddingGrad(EmbeddingAttrs(vocab: .int(100), dim: .int(8))), .globalMaxPool1dGrad, .globalAvgPool1dGrad, .multiheadAttentionGrad(AttentionAttrs(heads: .int(2))), .lstmGrad(RecurrentAttrs(hidden: .int(8))), .gruGrad(RecurrentAttrs(hidden: .int(4), bidirectional: true)), .conv1dGradInput(Conv1DAttrs(outChannels: .int(4), kernel: .int(3))), .conv1dGradWeight(Conv1DAttrs(outChannels: .int(4), kernel: .int(5), padding: .explicit(.int(2)))), .conv1dGradBias(Conv1DAttrs(outChannels: .int(4), kernel: .int(1))), .maxPool1dGrad(Pool1DAttrs(kernel: .int(2))), .avgPool1dGrad(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1)))),  .flattenGrad, .dropoutGrad(p: .float(0.5)), .mulGrad, .concatGrad(axis: 1),
            .softmaxGrad(axis: -1), .logSoftmaxGrad(axis: -1), .softmaxCrossEntropyGrad(labelSmoothing: 0), .nllLossGrad, .mseLoss, .mseLossGrad,
            .fusedConv2d(FusedConv2DAttrs(conv: Conv2DAttrs(outChannels: .int(8), kernel: .int(3)), batchNorm: BatchNormAttrs(eps: 1e-3),
                                          activation: .relu)),
        .weightedSum, .weightedSumGrad, .switchOp(SwitchAttrs(label: "op", count: 3)), .switchGrad(SwitchAttrs(label: "op", count: 2)),
        ]
    }

    /// A model space whose root graph holds `everyOp`, plus small subgraphs, value choices and varied types.
    static var everything: ModelSpace {
        let x = GraphInput(name: "x", type: .batched(1, 28, 28), location: loc(2, 12))
        let ids = GraphInput(name: "ids", type: TensorType(.i64, [.batch, .fixed(0)]))
        var nodes: [Node] = []
        for (i, op) in everyOp.enumerated() {
            let inputs: [ValueRef]
            switch op.kind.minInputs {
            case 0: inputs = []
            case 1: inputs = [ValueRef(i == 0 ? "x" : "n\(i - 1)")]
            default: inputs = [ValueRef("x"), ValueRef("ids", slot: 0), ValueRef(i == 0 ? "x" : "n\(i - 1)", slot: 1)]
            }
            let types: [TensorType] = i % 3 == 0 ? [] : i % 3 == 1 ? [.batched(32, 26, 26)]
                : [TensorType(.f32, [.batch, .fixed(10)]), TensorType(.i64, [])]
            nodes.append(Node(name: "n\(i)", op: op, inputs: inputs, types: types, location: i % 2 == 0 ? loc(3 + i, 3) : .unknown))
        }
        let main = Graph(name: "main", inputs: [x, ids], nodes: nodes, outputs: [ValueRef("n\(nodes.count - 1)"), ValueRef("n3", slot: 2)],
                         location: loc(2))
        func block(_ name: String, _ op: Op) -> Graph {
            Graph(name: name, inputs: [GraphInput(name: "in", type: .batched(16, 8, 8))],
                  nodes: [Node(name: "o", op: op, inputs: [ValueRef("in")])], outputs: [ValueRef("o")])
        }
        return ModelSpace(
            name: "every op", root: "main",
            graphs: [main, block("c3", .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .int(3), padding: .same))),
                     block("c5", .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .int(5), padding: .same))),
                     block("s", .identity), block("s2", .identity), block("b0", .activation(.relu)), block("b1", .activation(.tanh)),
                     Graph(name: "blk"), Graph(name: "empty-location", location: SourceLocation(file: "", line: 0, column: 4))],
            valueChoices: [
                ValueChoiceDecl(label: "width", values: [.int(16), .int(32), .int(64)], location: loc(1)),
                ValueChoiceDecl(label: "a/b", values: [.float(0.5), .float(1.5), .int(-2)]),
                ValueChoiceDecl(label: "drop", values: [.float(0), .float(0.25)], location: SourceLocation(file: "x.nas")),
                ValueChoiceDecl(label: "empty", values: []),
            ])
    }

    /// An architecture using every decision value form.
    static var architecture: Architecture {
        Architecture([
            "conv1": .candidate("conv5"), "skip": .inputs([0, 2]), "skip2": .inputs([]), "width": .value(.int(32)),
            "a/b": .value(.float(1.5)), "depth": .value(.int(0)), "cell/op_0_1": .candidate("skip"), "": .candidate(""),
        ])
    }
}
