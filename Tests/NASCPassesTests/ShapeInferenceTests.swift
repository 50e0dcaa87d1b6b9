// Tests for the public shape-inference helpers (per-op rules, subgraph instances) and the cost model.
import NASCIR
import NASCPasses
import Testing

private func type(_ op: Op, _ inputs: TensorType...) -> TensorType? {
    guard case .success(let t) = ShapeInference.outputType(op: op, inputs: inputs) else { return nil }
    return t
}

private func failure(_ op: Op, _ inputs: TensorType...) -> String? {
    guard case .failure(let e) = ShapeInference.outputType(op: op, inputs: inputs) else { return nil }
    return e.message
}

private let mnistText = """
space "mnist" version 1 root @main

graph @main(%x: f32[N,1,28,28]) {
  %c1 = conv2d(%x) {out = 32, kernel = 3}
  %r1 = relu(%c1)
  %c2 = conv2d(%r1) {out = 64, kernel = 3}
  %r2 = relu(%c2)
  %p = max_pool2d(%r2) {kernel = 2}
  %f = flatten(%p)
  %l1 = linear(%f) {out = 128}
  %r3 = relu(%l1)
  %l2 = call(%r3) {graph = @head}
  return %l2
}

graph @head(%x: f32[N,128]) {
  %y = linear(%x) {out = 10}
  return %y
}
"""

@Suite struct ShapeInferenceTests {
    @Test func perOpRules() {
        let img = TensorType.batched(3, 32, 32)
        #expect(type(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(3), stride: .int(2), padding: .same)), .batched(3, 31, 31)) == .batched(8, 16, 16))
        // `same` that needs one more pixel on one side is refused here, as the lowering (symmetric padding) would.
        #expect(failure(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(3), stride: .int(2), padding: .same)), img)
                == "conv2d with kernel 3, stride 2 and padding: same on a size-32 input needs more padding on one side than the other, which nasc does not support")
        #expect(type(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(4), stride: .int(2), padding: .explicit(.int(1)))), img)
                == .batched(8, 16, 16))
        #expect(type(.avgPool2d(Pool2DAttrs(kernel: .int(3))), img) == .batched(3, 10, 10))
        #expect(type(.globalAvgPool, img) == .batched(3))
        #expect(type(.flatten, img) == .batched(3072))
        #expect(type(.linear(LinearAttrs(outFeatures: .int(5))), .batched(7, 12)) == .batched(7, 5))
        #expect(type(.concat(axis: -1), .batched(2, 3), .batched(2, 4)) == .batched(2, 7))
        #expect(type(.zero(stride: .int(3)), img) == .batched(3, 11, 11))
        // A shape-affecting value choice: typed as unknown, not an error.
        #expect(ShapeInference.outputType(op: .conv2d(Conv2DAttrs(outChannels: .choice("w"), kernel: .int(3))), inputs: [img])
                == .success(nil))
    }

    @Test func perOpErrors() {
        let img = TensorType.batched(6, 5, 5)
        #expect(failure(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(7))), img)
                == "conv2d with kernel 7 does not fit its 5x5 input (padding 0, dilation 1)")
        #expect(failure(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(0))), img) == "kernel of conv2d must be at least 1, but is 0")
        #expect(failure(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .binary(.floorDiv, .int(3), .int(0)))), img)
                == "kernel of conv2d: division by zero in value-choice expression")
        #expect(failure(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .float(1.5))), img) == "kernel of conv2d must be an integer, but is 1.5")
        #expect(failure(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(1), groups: .int(4))), img)
                == "conv2d groups 4 must divide input channels 6 and output channels 8")
        #expect(failure(.linear(LinearAttrs(outFeatures: .int(2))), TensorType(.f32, [.batch])) != nil)
        #expect(failure(.relu6Op, TensorType(.i64, [.batch, .fixed(3)])) == "relu6 needs f32 input, but gets i64[N,3]")
        #expect(failure(.add, .batched(2), .batched(3)) == "add needs inputs of equal shape, but gets f32[N,2] and f32[N,3]")
        #expect(failure(.add, .batched(2)) == "'add' takes at least 2 inputs, got 1")
        #expect(failure(.dropout(p: .float(1.5)), .batched(2)) == "dropout probability must be in [0, 1), but is 1.5")
        #expect(failure(.concat(axis: 0), .batched(2), .batched(2)) == "concat along the batch dimension (axis 0) is not supported")
        #expect(failure(.call(graph: "g"), .batched(2)) == "'call' needs the model space to infer its type")
    }

    @Test func subgraphInstancesAndAnnotation() throws {
        let space = try TextIR.parse(mnistText, file: "m.nir")
        #expect(try ShapeInference.inferTypes(graph: "main", in: space) == [.batched(10)])
        // The head instantiated for other input types.
        #expect(try ShapeInference.inferTypes(graph: "head", in: space, inputTypes: [.batched(4, 128)]) == [.batched(4, 10)])
        let (g, outs) = try ShapeInference.annotate(graph: "main", in: space, inputTypes: [.batched(1, 32, 32)])
        #expect(outs == [.batched(10)])
        #expect(g.node(named: "f")?.types == [.batched(12544)])
        #expect(g.inputs[0].type == .batched(1, 32, 32))
        let call = Node(name: "h", op: .call(graph: "head"), inputs: [ValueRef("x")])
        #expect(try ShapeInference.outputTypes(of: call, inputs: [.batched(2, 128)], in: space) == [.batched(2, 10)])
        #expect(throws: DiagnosticError.self) { try ShapeInference.outputTypes(of: call, inputs: [TensorType(.i64, [.batch, .fixed(128)])], in: space) }
        #expect(throws: DiagnosticError.self) { try ShapeInference.inferTypes(graph: "nope", in: space) }
        #expect(throws: DiagnosticError.self) { try ShapeInference.inferTypes(graph: "main", in: space, inputTypes: [.batched(1, 3, 3)]) }
        #expect(throws: DiagnosticError.self) { try ShapeInference.inferTypes(graph: "main", in: space, inputTypes: []) }
    }

    @Test func passIsRobustOnUnverifiedIR() throws {
        // A cycle and a dangling edge: inference must not crash or loop; affected nodes stay untyped.
        var space = try TextIR.parse("""
        space "t" version 1 root @main

        graph @main(%x: f32[N,4]) {
          %a = add(%x, %b)
          %b = relu(%a)
          %c = relu(%ghost)
          %d = call(%x) {graph = @main}
          return %b
        }
        """, file: "u.nir")
        var context = PassContext()
        try ShapeInference().run(on: &space, context: &context)
        #expect(space.graphs[0].nodes.allSatisfy { $0.types.isEmpty })
        #expect(!context.diagnostics.hasErrors)
    }

    @Test func mnistCosts() throws {
        let space = try TextIR.parse(mnistText, file: "m.nir")
        let counts = try #require(OpCost.graphCost(graph: "main", in: space))
        // PyTorch's MNIST example network has 1,199,882 parameters.
        #expect(counts.params == 320 + 18_496 + 1_179_776 + 1_290)
        #expect(counts.params == 1_199_882)
        let convMACs = 26 * 26 * 32 * 9 + 24 * 24 * 64 * 32 * 9
        let linearMACs = 9216 * 128 + 128 * 10
        #expect(counts.macs == convMACs + linearMACs)
        let biasAdds = 26 * 26 * 32 + 24 * 24 * 64 + 128 + 10
        let reluFlops = 26 * 26 * 32 + 24 * 24 * 64 + 128
        let poolFlops = 4 * 12 * 12 * 64
        #expect(counts.flops == 2 * counts.macs + biasAdds + reluFlops + poolFlops)
    }

    @Test func perOpCosts() {
        let img = TensorType.batched(8, 16, 16)
        #expect(OpCost.params(op: .conv2d(Conv2DAttrs(outChannels: .int(16), kernel: .int(3), groups: .int(2), bias: false)), inputTypes: [img])
                == 16 * 4 * 9)
        #expect(OpCost.params(op: .depthwiseConv2d(DepthwiseConv2DAttrs(kernel: .int(3))), inputTypes: [img]) == 8 * 9 + 8)
        #expect(OpCost.params(op: .separableConv2d(SeparableConv2DAttrs(outChannels: .int(4), kernel: .int(3), padding: .same)), inputTypes: [img])
                == 8 * 9 + 8 * 4 + 4)
        #expect(OpCost.macs(op: .separableConv2d(SeparableConv2DAttrs(outChannels: .int(4), kernel: .int(3), padding: .same)), inputTypes: [img])
                == 8 * 16 * 16 * 9 + 4 * 16 * 16 * 8)
        #expect(OpCost.params(op: .batchNorm(BatchNormAttrs()), inputTypes: [img]) == 16)
        #expect(OpCost.params(op: .batchNorm(BatchNormAttrs(affine: false)), inputTypes: [img]) == 0)
        #expect(OpCost.flops(op: .add, inputTypes: [img, img, img]) == 2 * 8 * 16 * 16)
        #expect(OpCost.flops(op: .globalAvgPool, inputTypes: [img]) == 8 * 16 * 16)
        #expect(OpCost.params(op: .conv2d(Conv2DAttrs(outChannels: .choice("w"), kernel: .int(3))), inputTypes: [img]) == nil)
        #expect(OpCost.params(op: .call(graph: "g"), inputTypes: [img]) == nil)
    }
}

private extension Op {
    static var relu6Op: Op { .activation(.relu6) }
}

@Suite struct ShapeLimitTests {
    @Test func hugeValuesAreErrorsNotTraps() {
        let img = TensorType.batched(3, 8, 8)
        #expect(failure(.conv2d(Conv2DAttrs(outChannels: .int(8), kernel: .int(1 << 62))), img)
                == "kernel of conv2d is too large: 4611686018427387904 (at most 2147483648)")
        #expect(failure(.flatten, .batched(1 << 30, 1 << 30, 1 << 30)) == "flatten of f32[N,1073741824,1073741824,1073741824] has too many features")
        #expect(failure(.relu6Op, .batched(1 << 40)) == "relu6 input f32[N,1099511627776] has a dimension outside 0...2147483648")
        #expect(OpCost.flops(op: .activation(.relu), inputTypes: [.batched(1 << 30, 1 << 30, 1 << 30)]) == nil)
        #expect(OpCost.params(op: .linear(LinearAttrs(outFeatures: .int(1 << 20))), inputTypes: [.batched(1 << 31)]) == 1 << 51 + 1 << 20)
        // A FLOP count past Int.max makes the whole count unknown.
        #expect(OpCost.params(op: .linear(LinearAttrs(outFeatures: .int(1 << 31))), inputTypes: [.batched(1 << 31)]) == nil)
    }
}
