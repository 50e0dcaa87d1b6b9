// Tests for the typed-op <-> generic-attribute bridge used by the text and protobuf forms.
import Testing
@testable import NASCIR

@Suite struct OpBridgeTests {
    @Test func everyKindRoundTripsWithDefaults() throws {
        let samples: [Op] = [
            .conv2d(Conv2DAttrs(outChannels: .choice("w"), kernel: .int(3), stride: .int(2), padding: .same, groups: .int(4), bias: false, inChannels: .int(8))),
            .depthwiseConv2d(DepthwiseConv2DAttrs(kernel: .int(5), padding: .explicit(.int(2)))),
            .separableConv2d(SeparableConv2DAttrs(outChannels: .int(16), kernel: .int(3), dilation: .int(2))),
            .linear(LinearAttrs(outFeatures: .int(10))), .linear(LinearAttrs(outFeatures: .int(128), inFeatures: .int(9216))), .batchNorm(BatchNormAttrs(eps: 1e-3)), .layerNorm(LayerNormAttrs()),
            .activation(.gelu), .maxPool2d(Pool2DAttrs(kernel: .int(2))),
            .avgPool2d(Pool2DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1)), countIncludePad: false)),
            .globalAvgPool, .embedding(EmbeddingAttrs(vocab: .int(100), dim: .choice("d"))), .globalMaxPool1d, .globalAvgPool1d, .multiheadAttention(AttentionAttrs(heads: .choice("heads"))), .lstm(RecurrentAttrs(hidden: .choice("hid"), bidirectional: true)), .gru(RecurrentAttrs(hidden: .int(16))), .conv1d(Conv1DAttrs(outChannels: .choice("w"), kernel: .int(3), stride: .int(2), padding: .same, dilation: .int(2), groups: .int(2), bias: false, inChannels: .int(8))), .maxPool1d(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .same)), .avgPool1d(Pool1DAttrs(kernel: .int(2))), .transpose(TransposeAttrs(dim0: 1, dim1: -1)),  .flatten, .dropout(p: .float(0.5)), .add, .mul, .scale(factor: 0.5), .concat(axis: 1), .identity, .zero(stride: .int(2)),
            .softmax(axis: -1), .logSoftmax(axis: 1), .call(graph: "blk"),
            .layerChoice(LayerChoiceOp(label: "c", candidates: [NamedGraph(name: "a", graph: "g0")])),
            .inputChoice(InputChoiceOp(label: "i", nChosen: nil, reduction: .concat)),
            .repeated(RepeatOp(label: "r", depths: [0, 1, 2], blocks: ["b0", "b1"])),
            .cell(CellOp(label: "cell", numNodes: 4, opsPerNode: 2, candidates: [NamedGraph(name: "skip", graph: "s")], merge: .looseEnd)),
            .param(ParamAttrs(name: "c.weight", shape: [8, 3, 3, 3], initializer: .kaimingUniform(fanIn: 27))),
            .param(ParamAttrs(name: "c.bias", shape: [8], initializer: .fanInUniform(fanIn: 27))),
            .param(ParamAttrs(name: "bn.running_var", shape: [8], initializer: .ones, trainable: false)),
            .param(ParamAttrs(name: "bn.running_mean", shape: [8], initializer: .zeros, trainable: false)),
            .param(ParamAttrs(name: "gate:op", shape: [3], initializer: .zeros, control: ControlParameter(.gate, label: "op"))),
            .param(ParamAttrs(name: "aux", shape: [2], initializer: .ones, trainable: false, control: ControlParameter(.auxiliarySkip))),
            .softmaxCrossEntropy(labelSmoothing: 0.1), .softmaxCrossEntropy(labelSmoothing: 0), .nllLoss, .paramGrad,
            .conv2dGradInput(Conv2DAttrs(outChannels: .int(8), kernel: .int(3), padding: .same)),
            .conv2dGradWeight(Conv2DAttrs(outChannels: .int(8), kernel: .int(3), stride: .int(2))),
            .conv2dGradBias(Conv2DAttrs(outChannels: .int(8), kernel: .int(1))),
            .depthwiseConv2dGradInput(DepthwiseConv2DAttrs(kernel: .int(3))),
            .depthwiseConv2dGradWeight(DepthwiseConv2DAttrs(kernel: .int(3), stride: .int(2))),
            .depthwiseConv2dGradBias(DepthwiseConv2DAttrs(kernel: .int(5))),
            .linearGradInput(LinearAttrs(outFeatures: .int(10))), .linearGradWeight(LinearAttrs(outFeatures: .int(10), bias: false)),
            .linearGradBias(LinearAttrs(outFeatures: .int(10))),
            .batchNormGrad(BatchNormAttrs(momentum: 0.01)), .layerNormGrad(LayerNormAttrs(affine: false)),
            .activationGrad(.relu), .activationGrad(.gelu),
            .maxPool2dGrad(Pool2DAttrs(kernel: .int(2))), .avgPool2dGrad(Pool2DAttrs(kernel: .int(3), countIncludePad: false)),
            .globalAvgPoolGrad, .embeddingGrad(EmbeddingAttrs(vocab: .int(100), dim: .int(8))), .globalMaxPool1dGrad, .globalAvgPool1dGrad, .multiheadAttentionGrad(AttentionAttrs(heads: .int(2))), .lstmGrad(RecurrentAttrs(hidden: .int(8))), .gruGrad(RecurrentAttrs(hidden: .int(4), bidirectional: true)), .conv1dGradInput(Conv1DAttrs(outChannels: .int(4), kernel: .int(3))), .conv1dGradWeight(Conv1DAttrs(outChannels: .int(4), kernel: .int(5), padding: .explicit(.int(2)))), .conv1dGradBias(Conv1DAttrs(outChannels: .int(4), kernel: .int(1))), .maxPool1dGrad(Pool1DAttrs(kernel: .int(2))), .avgPool1dGrad(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .explicit(.int(1)))),  .flattenGrad, .dropoutGrad(p: .float(0.25)), .mulGrad, .concatGrad(axis: 1),
            .softmaxGrad(axis: -1), .logSoftmaxGrad(axis: 1), .softmaxCrossEntropyGrad(labelSmoothing: 0.2), .nllLossGrad, .mseLoss, .mseLossGrad,
            .fusedConv2d(FusedConv2DAttrs(conv: Conv2DAttrs(outChannels: .int(8), kernel: .int(3), bias: false),
                                          batchNorm: BatchNormAttrs(eps: 1e-3, affine: false), activation: .relu6)),
            .fusedConv2d(FusedConv2DAttrs(conv: Conv2DAttrs(outChannels: .int(8), kernel: .int(1)), activation: .relu)),
        .weightedSum, .weightedSumGrad, .switchOp(SwitchAttrs(label: "op", count: 3)), .switchGrad(SwitchAttrs(label: "op", count: 2)),
        ]
        #expect(Set(samples.map(\.kind)).count == OpKind.allCases.count - 5)  // 6 activations share one case
        for op in samples {
            #expect(try Op(kind: op.kind, attributes: op.attributes) == op)
        }
    }

    @Test func badAttributesAreNamed() {
        #expect(throws: AttributeError("unknown attribute 'kernal' for conv2d")) {
            try Op(kind: .conv2d, attributes: [NamedAttribute("out", .expr(.int(3))), NamedAttribute("kernel", .expr(.int(3))),
                                               NamedAttribute("kernal", .expr(.int(3)))])
        }
        #expect(throws: AttributeError("linear requires attribute 'out'")) { try Op(kind: .linear, attributes: []) }
        #expect(throws: AttributeError("attribute 'bias' of linear must be true or false")) {
            try Op(kind: .linear, attributes: [NamedAttribute("out", .expr(.int(3))), NamedAttribute("bias", .expr(.int(1)))])
        }
    }
}
