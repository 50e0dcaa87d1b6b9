// ONNXTranslator: the ONNX form of each nasc forward op (one switch: the op mapping of docs/export.md).
import NASCIR

/// Translates the nodes of one flat graph, in order, into ONNX nodes and initializers.
struct ONNXTranslator {
    let graph: Graph
    let weights: [String: [Float]]
    var builder = ONNXGraphBuilder()
    /// ONNX value name of each nasc value (`param` nodes map to their initializer, a normalized input to its result).
    private var names: [String: String] = [:]
    /// Value types by node name (inputs and node output 0).
    private var types: [String: TensorType] = [:]

    init(graph: Graph, weights: [String: [Float]]) {
        self.graph = graph
        self.weights = weights
        for i in graph.inputs { types[i.name] = i.type }
        for n in graph.nodes { if let t = n.type { types[n.name] = t } }
    }

    /// The ONNX value name of a nasc value.
    func value(_ ref: ValueRef) -> String { names[ref.node] ?? ref.node }

    /// Prepends `(x - mean[c]) * (1 / std[c])` so the model takes raw inputs.
    mutating func normalizeInput(_ input: GraphInput, _ n: Checkpoint.Normalization) throws {
        let rank = input.type.rank
        guard rank >= 2, let c = input.type.shape[1].value, c == n.mean.count, c == n.std.count else {
            throw DiagnosticError(.error("the weights' input normalization has \(n.mean.count) channels, the input is \(input.type)",
                                         at: input.location))
        }
        // Channel statistics broadcast over [N, C, 1, 1, ...].
        let shape = [1, c] + [Int](repeating: 1, count: rank - 2)
        let mean = builder.floats("input_normalization.mean", shape: shape, n.mean)
        let scale = builder.floats("input_normalization.inv_std", shape: shape, n.std.map { 1 / $0 })
        let centered = "\(input.name)/centered", normalized = "\(input.name)/normalized"
        builder.node("Sub", name: centered, inputs: [input.name, mean], outputs: [centered])
        builder.node("Mul", name: normalized, inputs: [centered, scale], outputs: [normalized])
        names[input.name] = normalized
    }

    /// Emits the ONNX nodes of one nasc node.
    mutating func translate(_ n: Node) throws {
        let out = n.name
        let x = n.inputs.map(value)
        func attr(_ e: ValueExpr, _ what: String) throws -> Int {
            guard let v = e.constantInt else { throw unsupported(n, "its \(what) is not a constant (\(e))") }
            return v
        }
        func inputType(_ i: Int = 0) throws -> TensorType {
            guard i < n.inputs.count, let t = types[n.inputs[i].node], n.inputs[i].slot == 0 else {
                throw DiagnosticError(.error("'\(n.name)' has an input of unknown type (run shape-infer first)", at: n.location))
            }
            return t
        }
        func pads(_ p: Padding, kernel: Int, stride: Int, dilation: Int) throws -> [Int] {
            let t = try inputType()
            guard t.rank == 4, let h = t.shape[2].value,
                  let v = p.symmetricPixels(kernel: kernel, stride: stride, dilation: dilation, size: h) else {
                throw unsupported(n, "its padding cannot be made symmetric")
            }
            return [v, v, v, v]
        }
        switch n.op {
        case .param(let p):
            guard let values = weights[p.name], values.count == p.count else {
                throw DiagnosticError(.error("no weights for parameter '\(p.name)' \(p.shape)", at: n.location))
            }
            builder.floats(p.name, shape: p.shape, values)
            names[n.name] = p.name
        case .conv2d(let a):
            let k = try attr(a.kernel, "kernel"), s = try attr(a.stride, "stride"), d = try attr(a.dilation, "dilation")
            builder.node("Conv", name: out, inputs: x, outputs: [out], attributes: [
                ONNXAttribute.ints("kernel_shape", [k, k]), ONNXAttribute.ints("strides", [s, s]),
                ONNXAttribute.ints("pads", try pads(a.padding, kernel: k, stride: s, dilation: d)),
                ONNXAttribute.ints("dilations", [d, d]), ONNXAttribute.int("group", try attr(a.groups, "groups")),
            ])
        case .depthwiseConv2d(let a):
            let k = try attr(a.kernel, "kernel"), s = try attr(a.stride, "stride"), d = try attr(a.dilation, "dilation")
            guard let c = try inputType().shape[1].value else { throw unsupported(n, "its channel count is not fixed") }
            builder.node("Conv", name: out, inputs: x, outputs: [out], attributes: [
                ONNXAttribute.ints("kernel_shape", [k, k]), ONNXAttribute.ints("strides", [s, s]),
                ONNXAttribute.ints("pads", try pads(a.padding, kernel: k, stride: s, dilation: d)),
                ONNXAttribute.ints("dilations", [d, d]), ONNXAttribute.int("group", c),
            ])
        case .linear:
            if try inputType().rank == 2 {
                builder.node("Gemm", name: out, inputs: x, outputs: [out], attributes: [ONNXAttribute.int("transB", 1)])
            } else {
                // Over the last dimension of a higher-rank input: x W^T (+ b).
                let wt = "\(out)/weight_t", product = x.count > 2 ? "\(out)/matmul" : out
                builder.node("Transpose", name: wt, inputs: [x[1]], outputs: [wt], attributes: [ONNXAttribute.ints("perm", [1, 0])])
                builder.node("MatMul", name: product, inputs: [x[0], wt], outputs: [product])
                if x.count > 2 { builder.node("Add", name: out, inputs: [product, x[2]], outputs: [out]) }
            }
        case .batchNorm(let a):
            guard let c = try inputType().shape[1].value else { throw unsupported(n, "its channel count is not fixed") }
            // explicit-params: (x, gamma, beta, mean, var) when affine, (x, mean, var) otherwise.
            let (scale, bias) = a.affine ? (x[1], x[2]) : unitAffine(n, c)
            builder.node("BatchNormalization", name: out, inputs: [x[0], scale, bias, x[x.count - 2], x[x.count - 1]],
                         outputs: [out], attributes: [ONNXAttribute.float("epsilon", a.eps)])
        case .layerNorm(let a):
            let t = try inputType()
            guard let d = t.shape[t.rank - 1].value else { throw unsupported(n, "its last dimension is not fixed") }
            let (scale, bias) = a.affine ? (x[1], x[2]) : unitAffine(n, d)
            builder.node("LayerNormalization", name: out, inputs: [x[0], scale, bias], outputs: [out],
                         attributes: [ONNXAttribute.int("axis", -1), ONNXAttribute.float("epsilon", a.eps)])
        case .activation(let f):
            switch f {
            case .relu: builder.node("Relu", name: out, inputs: x, outputs: [out])
            case .sigmoid: builder.node("Sigmoid", name: out, inputs: x, outputs: [out])
            case .tanh: builder.node("Tanh", name: out, inputs: x, outputs: [out])
            case .hardswish: builder.node("HardSwish", name: out, inputs: x, outputs: [out])
            case .relu6:
                let lo = builder.floats("relu6/min", shape: [], [0]), hi = builder.floats("relu6/max", shape: [], [6])
                builder.node("Clip", name: out, inputs: [x[0], lo, hi], outputs: [out])
            case .gelu:
                // Exact GELU (opset 17 has no Gelu): 0.5 * x * (1 + erf(x / sqrt 2)).
                let invSqrt2 = builder.floats("gelu/inv_sqrt2", shape: [], [Float(0.5.squareRoot())])
                let one = builder.floats("gelu/one", shape: [], [1]), half = builder.floats("gelu/half", shape: [], [0.5])
                let scaled = "\(out)/scaled", erf = "\(out)/erf", shifted = "\(out)/one_plus_erf", halfX = "\(out)/half_x"
                builder.node("Mul", name: scaled, inputs: [x[0], invSqrt2], outputs: [scaled])
                builder.node("Erf", name: erf, inputs: [scaled], outputs: [erf])
                builder.node("Add", name: shifted, inputs: [erf, one], outputs: [shifted])
                builder.node("Mul", name: halfX, inputs: [x[0], half], outputs: [halfX])
                builder.node("Mul", name: out, inputs: [halfX, shifted], outputs: [out])
            }
        case .maxPool2d(let a), .avgPool2d(let a):
            let k = try attr(a.kernel, "kernel"), s = try a.stride.map { try attr($0, "stride") } ?? k
            var attributes = [ONNXAttribute.ints("kernel_shape", [k, k]), ONNXAttribute.ints("strides", [s, s]),
                              ONNXAttribute.ints("pads", try pads(a.padding, kernel: k, stride: s, dilation: 1))]
            if case .avgPool2d = n.op {
                attributes.append(ONNXAttribute.int("count_include_pad", a.countIncludePad ? 1 : 0))
                builder.node("AveragePool", name: out, inputs: x, outputs: [out], attributes: attributes)
            } else {
                builder.node("MaxPool", name: out, inputs: x, outputs: [out], attributes: attributes)
            }
        case .globalAvgPool:
            // nasc's global pool also flattens: [N, C, H, W] -> [N, C].
            let pooled = "\(out)/pooled"
            builder.node("GlobalAveragePool", name: pooled, inputs: x, outputs: [pooled])
            builder.node("Flatten", name: out, inputs: [pooled], outputs: [out], attributes: [ONNXAttribute.int("axis", 1)])
        case .flatten:
            builder.node("Flatten", name: out, inputs: x, outputs: [out], attributes: [ONNXAttribute.int("axis", 1)])
        case .dropout:
            // Inference form: Dropout without training_mode passes its input through.
            builder.node("Dropout", name: out, inputs: x, outputs: [out])
        case .add:
            builder.node(x.count == 2 ? "Add" : "Sum", name: out, inputs: x, outputs: [out])
        case .mul:
            var acc = x[0]
            for i in 1..<x.count {
                let r = i == x.count - 1 ? out : "\(out)/product_\(i)"
                builder.node("Mul", name: r, inputs: [acc, x[i]], outputs: [r])
                acc = r
            }
        case .scale(let factor):
            let f = builder.floats("\(out).factor", shape: [], [Float(factor)])
            builder.node("Mul", name: out, inputs: [x[0], f], outputs: [out])
        case .concat(let axis):
            let t = try inputType()
            builder.node("Concat", name: out, inputs: x, outputs: [out],
                         attributes: [ONNXAttribute.int("axis", axis < 0 ? axis + t.rank : axis)])
        case .identity:
            builder.node("Identity", name: out, inputs: x, outputs: [out])
        case .zero:
            // Zeros of the output's shape with the input's batch size: ConstantOfShape(concat(shape(x)[0:1], rest)).
            guard let t = n.type else { throw DiagnosticError(.error("'\(n.name)' has no inferred type", at: n.location)) }
            let rest = t.shape.dropFirst().map { $0.value ?? 0 }
            let shape = "\(out)/input_shape", batch = "\(out)/batch", full = "\(out)/shape"
            let starts = builder.int64s("slice/zero", shape: [1], [0]), ends = builder.int64s("slice/one", shape: [1], [1])
            let restName = builder.int64s("\(out)/rest_shape", shape: [rest.count], rest)
            builder.node("Shape", name: shape, inputs: [x[0]], outputs: [shape])
            builder.node("Slice", name: batch, inputs: [shape, starts, ends], outputs: [batch])
            builder.node("Concat", name: full, inputs: [batch, restName], outputs: [full], attributes: [ONNXAttribute.int("axis", 0)])
            builder.node("ConstantOfShape", name: out, inputs: [full], outputs: [out],
                         attributes: [ONNXAttribute.scalarTensor("value", 0)])
        case .multiheadAttention(let a):
            let t = try inputType()
            guard t.rank == 3, let d = t.shape[2].value else { throw unsupported(n, "its input is not [N,T,D] with a fixed D") }
            attention(n, x, dim: d, heads: try attr(a.heads, "heads"))
        case .lstm(let a), .gru(let a):
            let t = try inputType()
            guard t.rank == 3, t.shape[2].value != nil else { throw unsupported(n, "its input is not [N,T,D] with a fixed D") }
            recurrent(n, x, cell: n.op.kind == .lstm ? .lstm : .gru, hidden: try attr(a.hidden, "hidden"), directions: a.directions)
        case .softmax(let axis):
            builder.node("Softmax", name: out, inputs: x, outputs: [out], attributes: [ONNXAttribute.int("axis", axis)])
        case .logSoftmax(let axis):
            builder.node("LogSoftmax", name: out, inputs: x, outputs: [out], attributes: [ONNXAttribute.int("axis", axis)])
        default:
            guard try translateSequence(n) else { throw unsupported(n, "ONNX export covers the forward ops of a fixed subnet") }
        }
    }

    /// Constant scale 1 and bias 0 for a normalization without learned affine parameters.
    private mutating func unitAffine(_ n: Node, _ c: Int) -> (String, String) {
        (builder.floats("\(n.name).unit_scale", shape: [c], [Float](repeating: 1, count: c)),
         builder.floats("\(n.name).zero_bias", shape: [c], [Float](repeating: 0, count: c)))
    }

    private func unsupported(_ n: Node, _ why: String) -> DiagnosticError {
        DiagnosticError(.error("cannot export '\(n.op.kind.rawValue)' node '\(n.name)' to ONNX: \(why)", at: n.location))
    }
}
