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
            .globalAvgPool, .flatten, .dropout(p: .float(0.5)), .add, .mul, .concat(axis: 1), .identity, .zero(stride: .int(2)),
            .softmax(axis: -1), .logSoftmax(axis: 1), .call(graph: "blk"),
            .layerChoice(LayerChoiceOp(label: "c", candidates: [NamedGraph(name: "a", graph: "g0")])),
            .inputChoice(InputChoiceOp(label: "i", nChosen: nil, reduction: .concat)),
            .repeated(RepeatOp(label: "r", depths: [0, 1, 2], blocks: ["b0", "b1"])),
            .cell(CellOp(label: "cell", numNodes: 4, opsPerNode: 2, candidates: [NamedGraph(name: "skip", graph: "s")], merge: .looseEnd)),
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
