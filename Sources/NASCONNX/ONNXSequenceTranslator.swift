// ONNXSequenceTranslator: the ONNX form of the sequence ops — embedding (Gather), pooling over time with the padding
// mask, conv1d and the windowed pools on channels-last [N,T,C] (Transpose around Conv/MaxPool/AveragePool), transpose.
import NASCIR

extension ONNXTranslator {
    /// Emits the ONNX nodes of a sequence op; false when `n` is not one.
    mutating func translateSequence(_ n: Node) throws -> Bool {
        let out = n.name, x = n.inputs.map(value)
        func attr(_ e: ValueExpr, _ what: String) throws -> Int {
            guard let v = e.constantInt else { throw sequenceUnsupported(n, "its \(what) is not a constant (\(e))") }
            return v
        }
        func length() throws -> Int {
            guard let t = graph.type(of: n.inputs[0]), t.rank == 3, let len = t.shape[1].value else {
                throw sequenceUnsupported(n, "its input is not a sequence [N,T,C] of fixed length")
            }
            return len
        }
        func pad(_ p: Padding, _ k: Int, _ s: Int, _ d: Int) throws -> Int {
            guard let v = p.symmetricPixels(kernel: k, stride: s, dilation: d, size: try length()) else {
                throw sequenceUnsupported(n, "its padding cannot be made symmetric")
            }
            return v
        }
        switch n.op {
        case .embedding:
            builder.node("Gather", name: out, inputs: [x[1], x[0]], outputs: [out], attributes: [ONNXAttribute.int("axis", 0)])
        case .transpose(let a):
            guard let t = graph.type(of: n.inputs[0]), let i = TypeRules.normalizedAxis(a.dim0, rank: t.rank),
                  let j = TypeRules.normalizedAxis(a.dim1, rank: t.rank) else { throw sequenceUnsupported(n, "its dimensions are out of range") }
            var perm = Array(0..<t.rank)
            perm.swapAt(i, j)
            builder.node("Transpose", name: out, inputs: [x[0]], outputs: [out], attributes: [ONNXAttribute.ints("perm", perm)])
        case .globalAvgPool1d where x.count == 1:
            builder.node("ReduceMean", name: out, inputs: [x[0]], outputs: [out],
                         attributes: [ONNXAttribute.ints("axes", [1]), ONNXAttribute.int("keepdims", 0)])
        case .globalMaxPool1d where x.count == 1:
            builder.node("ReduceMax", name: out, inputs: [x[0]], outputs: [out],
                         attributes: [ONNXAttribute.ints("axes", [1]), ONNXAttribute.int("keepdims", 0)])
        case .globalAvgPool1d:
            // sum(x * mask) / max(count, 1) over time: a sequence of padding only gives 0.
            let (_, m) = mask(ids: x[1], n)
            let axis = builder.int64s("sequence/axis1", shape: [1], [1]), one = builder.floats("sequence/one", shape: [], [1])
            let masked = "\(out)/masked", total = "\(out)/sum", count = "\(out)/count", clamped = "\(out)/count_at_least_1"
            builder.node("Mul", name: masked, inputs: [x[0], m], outputs: [masked])
            builder.node("ReduceSum", name: total, inputs: [masked, axis], outputs: [total], attributes: [ONNXAttribute.int("keepdims", 0)])
            builder.node("ReduceSum", name: count, inputs: [m, axis], outputs: [count], attributes: [ONNXAttribute.int("keepdims", 0)])
            builder.node("Max", name: clamped, inputs: [count, one], outputs: [clamped])
            builder.node("Div", name: out, inputs: [total, clamped], outputs: [out])
        case .globalMaxPool1d:
            // max over the real steps (padding set to -inf), 0 for a sequence of padding only.
            let (b, m) = mask(ids: x[1], n)
            let axis = builder.int64s("sequence/axis1", shape: [1], [1]), zero = builder.floats("sequence/zero", shape: [], [0])
            let hidden = "\(out)/masked", pooled = "\(out)/max", count = "\(out)/count", any = "\(out)/any"
            builder.node("Where", name: hidden, inputs: [b, x[0], negativeInfinity()], outputs: [hidden])
            builder.node("ReduceMax", name: pooled, inputs: [hidden], outputs: [pooled],
                         attributes: [ONNXAttribute.ints("axes", [1]), ONNXAttribute.int("keepdims", 0)])
            builder.node("ReduceSum", name: count, inputs: [m, axis], outputs: [count], attributes: [ONNXAttribute.int("keepdims", 0)])
            builder.node("Greater", name: any, inputs: [count, zero], outputs: [any])
            builder.node("Where", name: out, inputs: [any, pooled, zero], outputs: [out])
        case .conv1d(let a):
            let k = try attr(a.kernel, "kernel"), s = try attr(a.stride, "stride"), d = try attr(a.dilation, "dilation")
            let p = try pad(a.padding, k, s, d)
            let xt = "\(out)/ncw", yt = "\(out)/conv"
            builder.node("Transpose", name: xt, inputs: [x[0]], outputs: [xt], attributes: [ONNXAttribute.ints("perm", [0, 2, 1])])
            builder.node("Conv", name: yt, inputs: [xt] + x.dropFirst(), outputs: [yt], attributes: [
                ONNXAttribute.ints("kernel_shape", [k]), ONNXAttribute.ints("strides", [s]), ONNXAttribute.ints("pads", [p, p]),
                ONNXAttribute.ints("dilations", [d]), ONNXAttribute.int("group", try attr(a.groups, "groups")),
            ])
            builder.node("Transpose", name: out, inputs: [yt], outputs: [out], attributes: [ONNXAttribute.ints("perm", [0, 2, 1])])
        case .maxPool1d(let a), .avgPool1d(let a):
            let k = try attr(a.kernel, "kernel"), s = try a.stride.map { try attr($0, "stride") } ?? k, p = try pad(a.padding, k, s, 1)
            let window = [ONNXAttribute.ints("kernel_shape", [k]), ONNXAttribute.ints("strides", [s]), ONNXAttribute.ints("pads", [p, p])]
            let isMax = n.op.kind == .maxPool1d
            func pool(_ input: String, _ name: String, max: Bool, includePad: Bool) {
                let t = "\(name)/ncw", r = "\(name)/pooled"
                builder.node("Transpose", name: t, inputs: [input], outputs: [t], attributes: [ONNXAttribute.ints("perm", [0, 2, 1])])
                if max {
                    builder.node("MaxPool", name: r, inputs: [t], outputs: [r], attributes: window)
                } else {
                    builder.node("AveragePool", name: r, inputs: [t], outputs: [r],
                                 attributes: window + [ONNXAttribute.int("count_include_pad", includePad ? 1 : 0)])
                }
                builder.node("Transpose", name: name, inputs: [r], outputs: [name], attributes: [ONNXAttribute.ints("perm", [0, 2, 1])])
            }
            guard x.count > 1 else {
                pool(x[0], out, max: isMax, includePad: false)
                return true
            }
            // With the ids: the fraction of counted steps per window (AveragePool of the mask, padded steps as 0).
            let (b, m) = mask(ids: x[1], n)
            let fraction = "\(out)/counted"
            pool(m, fraction, max: false, includePad: true)
            let zero = builder.floats("sequence/zero", shape: [], [0])
            if isMax {
                let hidden = "\(out)/masked", pooled = "\(out)/max", any = "\(out)/any"
                builder.node("Where", name: hidden, inputs: [b, x[0], negativeInfinity()], outputs: [hidden])
                pool(hidden, pooled, max: true, includePad: false)
                builder.node("Greater", name: any, inputs: [fraction, zero], outputs: [any])
                builder.node("Where", name: out, inputs: [any, pooled, zero], outputs: [out])
            } else {
                // mean = (windowed sum of x * mask) / (windowed count); both AveragePools divide by the kernel.
                let masked = "\(out)/masked_input", total = "\(out)/sum", clamped = "\(out)/counted_at_least"
                let floor = builder.floats("\(out)/half_step", shape: [], [0.5 / Float(k)])
                builder.node("Mul", name: masked, inputs: [x[0], m], outputs: [masked])
                pool(masked, total, max: false, includePad: true)
                builder.node("Max", name: clamped, inputs: [fraction, floor], outputs: [clamped])
                builder.node("Div", name: out, inputs: [total, clamped], outputs: [out])
            }
        default:
            return false
        }
        return true
    }

    /// The padding mask of token ids `[N,T]`: a bool `[N,T,1]` (id is not 0) and the same as floats (1 or 0).
    mutating func mask(ids: String, _ n: Node) -> (String, String) {
        let zero = builder.int64s("sequence/padding_id", shape: [], [0]), axis = builder.int64s("sequence/axis2", shape: [1], [2])
        let pad = "\(ids)/is_padding", real = "\(ids)/is_token", b = "\(ids)/mask", f = "\(ids)/mask_f32"
        guard !builder.hasValue(b) else { return (b, f) }
        builder.node("Equal", name: pad, inputs: [ids, zero], outputs: [pad])
        builder.node("Not", name: real, inputs: [pad], outputs: [real])
        builder.node("Unsqueeze", name: b, inputs: [real, axis], outputs: [b])
        builder.node("Cast", name: f, inputs: [b], outputs: [f], attributes: [ONNXAttribute.int("to", Int(Onnx_TensorProto.DataType.float.rawValue))])
        return (b, f)
    }

    /// A scalar -inf initializer.
    mutating func negativeInfinity() -> String { builder.floats("sequence/negative_infinity", shape: [], [-Float.infinity]) }

    func sequenceUnsupported(_ n: Node, _ why: String) -> DiagnosticError {
        DiagnosticError(.error("cannot export '\(n.op.kind.rawValue)' node '\(n.name)' to ONNX: \(why)", at: n.location))
    }
}
