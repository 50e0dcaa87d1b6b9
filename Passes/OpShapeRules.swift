// OpShapeRules: the shape-rule dispatcher over the op table, and the helpers the op definitions' rules share.
import NASCIR

/// Output types of tensor ops: generic checks here, then the op's own rule from ``OpTable``.
///
/// Conventions (PyTorch's unless stated):
/// - Images are NCHW. Convolution and pooling: `out = floor((in + 2p - d(k-1) - 1) / s) + 1`;
///   `padding = same` gives `ceil(in / s)` (TensorFlow's SAME, equal to PyTorch's `same` at stride 1).
/// - Pooling stride defaults to the kernel; explicit padding must be at most half the kernel.
/// - `add`/`mul` do not broadcast: all operands must have the same type.
/// - Attributes that affect the shape and read a value choice make the result untyped (`nil`);
///   attributes that do not affect the shape (dropout `p`) never do.
/// The front end's checker calls the same rules with every value choice replaced by a chosen value.
enum OpShapeRules {
    /// Output type of a tensor op; `nil` when it depends on a value choice. Structural and gradient ops throw.
    static func outputType(_ op: Op, _ inputs: [TensorType]) throws(ShapeError) -> TensorType? {
        let kind = op.kind, name = kind.rawValue
        if let arity = kind.arity, inputs.count != arity {
            throw ShapeError("'\(name)' takes \(arity) input\(arity == 1 ? "" : "s"), got \(inputs.count)")
        }
        if inputs.count < kind.minInputs {
            throw ShapeError("'\(name)' takes at least \(kind.minInputs) inputs, got \(inputs.count)")
        }
        for t in inputs {
            if t.shape.contains(where: { ($0.value ?? 0) < 0 || ($0.value ?? 0) > AttributeValues.limit }) {
                throw ShapeError("\(name) input \(t) has a dimension outside 0...\(AttributeValues.limit)")
            }
        }
        switch OpTable[kind].shape {
        case .rule(let rule): return try rule(op, inputs)
        case .fromSpace: throw ShapeError("'\(name)' needs the model space to infer its type")
        case .fromAutodiff: throw ShapeError("'\(name)' gets its types from autodiff")
        }
    }

    /// Requires an f32 input.
    static func float(_ op: String, _ t: TensorType) throws(ShapeError) -> TensorType {
        guard t.dtype == .f32 else {
            throw ShapeError("\(op) needs f32 input, but gets \(t)", hint: t.dtype == .i64 ? "token ids go through an embedding first" : nil)
        }
        return t
    }

    /// Channels, height and width of an f32 NCHW input with fixed C, H, W.
    static func image(_ op: String, _ t: TensorType) throws(ShapeError) -> (Int, Int, Int) {
        _ = try float(op, t)
        guard t.rank == 4, let c = t.shape[1].value, let h = t.shape[2].value, let w = t.shape[3].value else {
            throw ShapeError("\(op) needs an image input [N,C,H,W], but gets \(t)",
                             hint: t.rank == 2 ? "the input was flattened; move the flatten after this layer" : nil)
        }
        return (c, h, w)
    }

    static func conv2d(_ a: Conv2DAttrs, _ input: TensorType) throws(ShapeError) -> TensorType? {
        let (c, h, w) = try image("conv2d", input)
        if let stated = a.inChannels, let s = try AttributeValues.int(stated, "in", of: "conv2d", atLeast: 1),
           let m = TypeRules.statedChannelsProblem(stated: s, input: input) {
            throw ShapeError(m)
        }
        let groups = try AttributeValues.int(a.groups, "groups", of: "conv2d", atLeast: 1)
        let out = try AttributeValues.int(a.outChannels, "out", of: "conv2d", atLeast: 1)
        if let g = groups, c % g != 0 || (out.map { $0 % g != 0 } ?? false) {
            throw ShapeError("conv2d groups \(g) must divide input channels \(c)\(out.map { " and output channels \($0)" } ?? "")")
        }
        let t = try convLike("conv2d", input, c: c, h: h, w: w, out: a.outChannels, kernel: a.kernel, stride: a.stride,
                             padding: a.padding, dilation: a.dilation)
        return groups == nil ? nil : t
    }

    /// Shared by the three convolutions: evaluates attributes and computes `[N, out, H', W']`.
    static func convLike(_ op: String, _ input: TensorType, c: Int, h: Int, w: Int, out: ValueExpr, kernel: ValueExpr,
                         stride: ValueExpr, padding: Padding, dilation: ValueExpr) throws(ShapeError) -> TensorType? {
        let o = try AttributeValues.int(out, "out", of: op, atLeast: 1)
        let k = try AttributeValues.int(kernel, "kernel", of: op, atLeast: 1)
        let s = try AttributeValues.int(stride, "stride", of: op, atLeast: 1)
        let d = try AttributeValues.int(dilation, "dilation", of: op, atLeast: 1)
        let p = try AttributeValues.padding(padding, of: op)
        guard let o, let k, let s, let d, p != .symbolic else { return nil }
        let (ho, wo) = try spatial(op, h: h, w: w, kernel: k, stride: s, padding: p, dilation: d)
        return TensorType(input.dtype, [input.shape[0], .fixed(o), .fixed(ho), .fixed(wo)])
    }

    /// Output height and width of a sliding window; an empty output is an error naming the window.
    static func spatial(_ op: String, h: Int, w: Int, kernel k: Int, stride s: Int, padding p: AttributeValues.ResolvedPadding,
                        dilation d: Int) throws(ShapeError) -> (Int, Int) {
        switch p {
        case .same, .symbolic:
            for size in [h, w] where Padding.sameAmount(size: size, kernel: k, stride: s, dilation: d) == nil {
                throw ShapeError("\(op) with kernel \(k), stride \(s)\(d == 1 ? "" : ", dilation \(d)") and padding: same on a size-\(size) input needs more padding on one side than the other, which nasc does not support",
                                 hint: "give the padding explicitly, e.g. padding: \(d * (k - 1) / 2)")
            }
            return ((h + s - 1) / s, (w + s - 1) / s)
        case .explicit(let pad):
            let spanH = h + 2 * pad - d * (k - 1) - 1, spanW = w + 2 * pad - d * (k - 1) - 1
            guard spanH >= 0, spanW >= 0 else {
                throw ShapeError("\(op) with kernel \(k) does not fit its \(h)x\(w) input (padding \(pad), dilation \(d))",
                                 hint: "use padding: same, a smaller kernel, or a larger input")
            }
            return (spanH / s + 1, spanW / s + 1)
        }
    }

    static func linear(_ a: LinearAttrs, _ input: TensorType) throws(ShapeError) -> TensorType? {
        let t = try float("linear", input)
        guard t.rank >= 2, t.shape[t.rank - 1].value != nil else {
            throw ShapeError("linear needs an input [N, features], but gets \(t)")
        }
        if let stated = a.inFeatures, let s = try AttributeValues.int(stated, "in", of: "linear", atLeast: 1),
           let m = TypeRules.statedFeaturesProblem(stated: s, input: t) {
            throw ShapeError(m, hint: t.rank > 2 ? "linear acts on the last dimension: insert flatten (or global_avg_pool) before it"
                                                 : "drop 'in' to infer it from the input")
        }
        guard let o = try AttributeValues.int(a.outFeatures, "out", of: "linear", atLeast: 1) else { return nil }
        var out = t
        out.shape[t.rank - 1] = .fixed(o)
        return out
    }

    static func pool(_ op: String, _ a: Pool2DAttrs, _ input: TensorType) throws(ShapeError) -> TensorType? {
        let (c, h, w) = try image(op, input)
        let k = try AttributeValues.int(a.kernel, "kernel", of: op, atLeast: 1)
        let s = try a.stride.map { e throws(ShapeError) in try AttributeValues.int(e, "stride", of: op, atLeast: 1) } ?? k
        let p = try AttributeValues.padding(a.padding, of: op)
        guard let k, let s, p != .symbolic else { return nil }
        if case .explicit(let pad) = p, pad > k / 2 {
            throw ShapeError("\(op) padding \(pad) must be at most half the kernel \(k)")
        }
        let (ho, wo) = try spatial(op, h: h, w: w, kernel: k, stride: s, padding: p, dilation: 1)
        return TensorType(input.dtype, [input.shape[0], .fixed(c), .fixed(ho), .fixed(wo)])
    }

    /// A softmax-like op over `axis` (any axis but the batch dimension).
    static func axisOp(_ op: String, axis: Int, _ input: TensorType) throws(ShapeError) -> TensorType {
        let t = try float(op, input)
        guard let a = TypeRules.normalizedAxis(axis, rank: t.rank), t.shape[a] != .batch else {
            throw ShapeError("\(op) axis \(axis) is out of range for \(t)")
        }
        return t
    }
}
