// SequenceWindowOps: the op-table entries of the windowed sequence ops — conv1d, max_pool1d and avg_pool1d (padding
// tokens masked) — transpose, and their backward ops. Sequences are batch first and channels last, `[N,T,C]`.
import NASCIR

extension OpTable {
    /// Length and channels of a sequence input `f32[N,T,C]` with fixed T and C.
    static func sequence(_ op: String, _ t: TensorType) throws(ShapeError) -> (Int, Int) {
        _ = try OpShapeRules.float(op, t)
        guard t.rank == 3, let len = t.shape[1].value, let c = t.shape[2].value else {
            throw ShapeError("\(op) needs a sequence [N,T,C] (batch first, channels last), but gets \(t)",
                             hint: t.rank == 4 ? "images go through conv2d; sequences come from an embedding" : nil)
        }
        return (len, c)
    }

    /// Output length of a window of `kernel` steps (dilation `d`) sliding with `stride` over `length` steps; a window
    /// longer than the (padded) sequence is an error naming its span.
    static func windowLength(_ op: String, length: Int, kernel k: Int, stride s: Int, dilation d: Int,
                             padding: AttributeValues.ResolvedPadding) throws(ShapeError) -> Int? {
        let span = d * (k - 1) + 1
        let what = d == 1 ? "kernel \(k)" : "kernel \(k) with dilation \(d) (spanning \(span) steps)"
        if op == "conv1d", span > length {
            throw ShapeError("conv1d \(what) is longer than the sequence (\(length) steps)",
                             hint: "use a smaller kernel or dilation, or a longer sequence")
        }
        switch padding {
        case .symbolic: return nil
        case .same:
            guard Padding.sameAmount(size: length, kernel: k, stride: s, dilation: d) != nil else {
                throw ShapeError("\(op) with \(what), stride \(s) and padding: same on \(length) steps needs more padding on one side than the other, which nasc does not support",
                                 hint: "use an odd kernel, or give the padding explicitly")
            }
            return (length + s - 1) / s
        case .explicit(let p):
            let room = length + 2 * p - span
            guard room >= 0 else {
                throw ShapeError("\(op) \(what) is longer than the sequence (\(length) steps, padding \(p))",
                                 hint: "use padding: same, a smaller kernel, or a longer sequence")
            }
            return room / s + 1
        }
    }

    static let conv1d = OpDefinition(
        .conv1d,
        language: OpLanguageForm(convAttributes, positional: ["out", "kernel", "stride", "padding"],
                                 summary: "1-D convolution over time of [N,T,C] (channels last); input channels inferred"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .conv1d(let a) = op else { return nil }
            let (len, c) = try sequence("conv1d", x[0])
            if let stated = a.inChannels, let s = try AttributeValues.int(stated, "in", of: "conv1d", atLeast: 1), s != c {
                throw ShapeError("conv1d expects \(s) input channels, but gets \(c) (input \(x[0]))")
            }
            let o = try AttributeValues.int(a.outChannels, "out", of: "conv1d", atLeast: 1)
            let k = try AttributeValues.int(a.kernel, "kernel", of: "conv1d", atLeast: 1)
            let s = try AttributeValues.int(a.stride, "stride", of: "conv1d", atLeast: 1)
            let d = try AttributeValues.int(a.dilation, "dilation", of: "conv1d", atLeast: 1)
            let g = try AttributeValues.int(a.groups, "groups", of: "conv1d", atLeast: 1)
            let p = try AttributeValues.padding(a.padding, of: "conv1d")
            if let g, c % g != 0 || (o.map { $0 % g != 0 } ?? false) {
                throw ShapeError("conv1d groups \(g) must divide input channels \(c)\(o.map { " and output channels \($0)" } ?? "")")
            }
            guard let k, let s, let d, let t = try windowLength("conv1d", length: len, kernel: k, stride: s, dilation: d, padding: p),
                  let o, g != nil else { return nil }
            return TensorType(.f32, [x[0].shape[0], .fixed(t), .fixed(o)])
        },
        cost: .rule { op, s in
            guard case .conv1d(let a) = op, let c = s.inputs[0].shape.last?.value, let o = a.outChannels.constantInt,
                  let k = a.kernel.constantInt, let g = a.groups.constantInt, g > 0 else { return nil }
            return OpCost.layer(params: OpCost.mul(o, c / g, k), bias: a.bias ? o : 0, macs: OpCost.mul(s.outputElements, c / g, k), s)
        },
        gradient: .rule { op, b in
            guard case .conv1d(let a) = op else { return }
            b.layer(input: .conv1dGradInput(a), weight: .conv1dGradWeight(a), bias: .conv1dGradBias(a))
        },
        sample: .conv1d(Conv1DAttrs(outChannels: .int(16), kernel: .int(3), padding: .same, dilation: .int(2), groups: .int(2))))

    /// The shape rule of both windowed pools: `[N,T,C]` (and optionally its ids `i64[N,T]`) to `[N,T',C]`.
    static let pool1dShape = ShapeRule.rule { op, x throws(ShapeError) in
        guard case .maxPool1d(let a) = op else {
            guard case .avgPool1d(let a) = op else { return nil }
            return try pool1dType("avg_pool1d", a, x)
        }
        return try pool1dType("max_pool1d", a, x)
    }

    static func pool1dType(_ op: String, _ a: Pool1DAttrs, _ x: [TensorType]) throws(ShapeError) -> TensorType? {
        guard x.count <= 2 else { throw ShapeError("\(op) takes a sequence and optionally its token ids, got \(x.count) inputs") }
        let (len, c) = try sequence(op, x[0])
        if x.count == 2, x[1].dtype != .i64 || x[1].rank != 2 || x[1].shape[1].value != len {
            throw ShapeError("\(op) masks with token ids i64[N,\(len)], but gets \(x[1])")
        }
        let k = try AttributeValues.int(a.kernel, "kernel", of: op, atLeast: 1)
        let s = try a.stride.map { e throws(ShapeError) in try AttributeValues.int(e, "stride", of: op, atLeast: 1) } ?? k
        let p = try AttributeValues.padding(a.padding, of: op)
        guard let k, let s else { return nil }
        if case .explicit(let pad) = p, pad > k / 2 { throw ShapeError("\(op) padding \(pad) must be at most half the kernel \(k)") }
        guard let t = try windowLength(op, length: len, kernel: k, stride: s, dilation: 1, padding: p) else { return nil }
        return TensorType(.f32, [x[0].shape[0], .fixed(t), .fixed(c)])
    }

    /// FLOPs of a pool over time: `kernel` per output element.
    static let pool1dCost = CostRule.rule { op, s in
        switch op {
        case .maxPool1d(let a), .avgPool1d(let a): return OpCost.counts(flops: OpCost.mul(a.kernel.constantInt, s.outputElements))
        default: return nil
        }
    }

    static let maxPool1d = OpDefinition(
        .maxPool1d,
        language: OpLanguageForm(poolAttributes, positional: ["kernel", "stride", "padding"], aliases: ["maxpool1d"],
                                 summary: "max over windows of time (stride defaults to kernel); (h, ids) skips padding tokens"),
        shape: pool1dShape, cost: pool1dCost,
        gradient: .rule { op, b in
            guard case .maxPool1d(let a) = op else { return }
            b.unary(.maxPool1dGrad(a), [b.output, b.gradOutput] + b.node.inputs.dropFirst())
        },
        sample: .maxPool1d(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .same)))

    static let avgPool1d = OpDefinition(
        .avgPool1d,
        language: OpLanguageForm(poolAttributes, positional: ["kernel", "stride", "padding"], aliases: ["avgpool1d"],
                                 summary: "mean over windows of time, padding excluded (stride defaults to kernel); (h, ids) skips padding tokens"),
        shape: pool1dShape, cost: pool1dCost,
        gradient: .rule { op, b in
            guard case .avgPool1d(let a) = op else { return }
            b.unary(.avgPool1dGrad(a), [b.gradOutput] + b.node.inputs.dropFirst())
        },
        sample: .avgPool1d(Pool1DAttrs(kernel: .int(2), padding: .explicit(.int(1)))))

    /// Swaps two non-batch dimensions; its gradient is the same swap.
    static let transpose = OpDefinition(
        .transpose,
        language: OpLanguageForm([AttrSpec("dim0", .constInt, required: true), AttrSpec("dim1", .constInt, required: true)],
                                 positional: ["dim0", "dim1"], summary: "swap two dimensions (not the batch), e.g. [N,T,C] to [N,C,T]"),
        shape: .rule { op, x throws(ShapeError) in
            guard case .transpose(let a) = op else { return nil }
            var t = try OpShapeRules.float("transpose", x[0])
            guard let i = TypeRules.normalizedAxis(a.dim0, rank: t.rank), let j = TypeRules.normalizedAxis(a.dim1, rank: t.rank) else {
                throw ShapeError("transpose dimensions \(a.dim0) and \(a.dim1) are out of range for \(t)")
            }
            guard i != 0, j != 0 else { throw ShapeError("transpose cannot move the batch dimension (dimension 0) of \(t)") }
            t.shape.swapAt(i, j)
            return t
        },
        cost: .rule { _, _ in OpCost.Counts() },
        gradient: .rule { op, b in b.unary(op, [b.gradOutput]) },
        sample: .transpose(TransposeAttrs(dim0: 1, dim1: -1)))

    static let sequenceConv = Conv1DAttrs(outChannels: .int(8), kernel: .int(3), padding: .same)
    static let conv1dGradInput = backward(.conv1dGradInput(sequenceConv))
    static let conv1dGradWeight = backward(.conv1dGradWeight(sequenceConv))
    static let conv1dGradBias = backward(.conv1dGradBias(sequenceConv))
    static let maxPool1dGrad = backward(.maxPool1dGrad(Pool1DAttrs(kernel: .int(3), stride: .int(1), padding: .same)))
    static let avgPool1dGrad = backward(.avgPool1dGrad(Pool1DAttrs(kernel: .int(2))))
}
