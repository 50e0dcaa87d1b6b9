// OpShapeRules: the output type of each tensor op from its input types and constant attributes.
import NASCIR

/// Shape rules for tensor ops (everything except `call` and the choice ops, which need the model space).
///
/// Conventions (PyTorch's unless stated):
/// - Images are NCHW. Convolution and pooling: `out = floor((in + 2p - d(k-1) - 1) / s) + 1`;
///   `padding = same` gives `ceil(in / s)` (TensorFlow's SAME, equal to PyTorch's `same` at stride 1).
/// - Pooling stride defaults to the kernel; explicit padding must be at most half the kernel.
/// - `global_avg_pool` is `adaptive_avg_pool2d(1)` followed by `flatten`: `[N,C,H,W] -> [N,C]`.
/// - `flatten` keeps dimension 0 and multiplies the rest: `[N,a,b,c] -> [N,a*b*c]`.
/// - `add`/`mul` do not broadcast: all operands must have the same type.
/// - `zero` with stride s > 1 keeps every s-th pixel: `[N,C,H,W] -> [N,C,ceil(H/s),ceil(W/s)]` (DARTS).
/// - Attributes that affect the shape and read a value choice make the result untyped (`nil`);
///   attributes that do not affect the shape (dropout `p`) never do.
enum OpShapeRules {
    typealias Rule = (_ inputs: [TensorType]) throws(ShapeError) -> TensorType?

    /// Output type of a tensor op; `nil` when it depends on a value choice. Structural ops throw.
    static func outputType(_ op: Op, _ inputs: [TensorType]) throws(ShapeError) -> TensorType? {
        let name = op.kind.rawValue
        if let arity = op.kind.arity, inputs.count != arity {
            throw ShapeError("'\(name)' takes \(arity) input\(arity == 1 ? "" : "s"), got \(inputs.count)")
        }
        if inputs.count < op.kind.minInputs {
            throw ShapeError("'\(name)' takes at least \(op.kind.minInputs) inputs, got \(inputs.count)")
        }
        for t in inputs {
            if t.shape.contains(where: { ($0.value ?? 0) < 0 || ($0.value ?? 0) > AttributeValues.limit }) {
                throw ShapeError("\(name) input \(t) has a dimension outside 0...\(AttributeValues.limit)")
            }
        }
        switch op {
        case .conv2d(let a): return try conv2d(a, inputs[0])
        case .depthwiseConv2d(let a):
            let (c, h, w) = try image(name, inputs[0])
            return try convLike(name, inputs[0], c: c, h: h, w: w, out: .int(c), kernel: a.kernel, stride: a.stride,
                                padding: a.padding, dilation: a.dilation)
        case .separableConv2d(let a):
            let (c, h, w) = try image(name, inputs[0])
            return try convLike(name, inputs[0], c: c, h: h, w: w, out: a.outChannels, kernel: a.kernel, stride: a.stride,
                                padding: a.padding, dilation: a.dilation)
        case .linear(let a): return try linear(a, inputs[0])
        case .batchNorm:
            let t = try float(name, inputs[0])
            guard t.rank >= 2, t.shape[1].value != nil else { throw ShapeError("batch_norm expects [N, C, ...] with a fixed channel count, got \(t)") }
            return t
        case .layerNorm:
            let t = try float(name, inputs[0])
            guard t.rank >= 2, t.shape[t.rank - 1].value != nil else { throw ShapeError("layer_norm expects a fixed last dimension, got \(t)") }
            return t
        case .activation: return try float(name, inputs[0])
        case .maxPool2d(let a), .avgPool2d(let a): return try pool(name, a, inputs[0])
        case .globalAvgPool:
            let (c, _, _) = try image(name, inputs[0])
            return TensorType(inputs[0].dtype, [inputs[0].shape[0], .fixed(c)])
        case .flatten:
            let t = inputs[0]
            guard t.rank >= 2 else { throw ShapeError("flatten expects at least 2 dimensions, got \(t)") }
            var product = 1
            for d in t.shape.dropFirst() {
                guard let v = d.value else { throw ShapeError("flatten expects fixed dimensions after the first, got \(t)") }
                let (p, overflow) = product.multipliedReportingOverflow(by: v)
                guard !overflow, p <= AttributeValues.limit else { throw ShapeError("flatten of \(t) has too many elements") }
                product = p
            }
            return TensorType(t.dtype, [t.shape[0], .fixed(product)])
        case .dropout(let p):
            let t = try float(name, inputs[0])
            if let v = try AttributeValues.double(p, "p", of: name), !(0...1).contains(v) {
                throw ShapeError("dropout probability must be between 0 and 1, got \(Scalar.float(v))")
            }
            return t
        case .add, .mul:
            if let m = TypeRules.equalTypes("'\(name)' operands", inputs) { throw ShapeError(m) }
            return inputs[0]
        case .concat(let axis):
            if let m = TypeRules.concatProblem(axis: axis, inputs) { throw ShapeError(m) }
            let a = TypeRules.normalizedAxis(axis, rank: inputs[0].rank)!
            var out = inputs[0]
            out.shape[a] = .fixed(inputs.reduce(0) { $0 + ($1.shape[a].value ?? 0) })
            return out
        case .identity: return inputs[0]
        case .scale: return try float(name, inputs[0])
        case .weightedSum:
            let xs = Array(inputs.dropLast()), w = inputs[inputs.count - 1]
            if xs.count > 1, let m = TypeRules.equalTypes("'\(name)' candidates", xs) { throw ShapeError(m) }
            guard w.dtype == .f32, w.shape == [.fixed(xs.count)] else {
                throw ShapeError("'\(name)' needs f32[\(xs.count)] weights for \(xs.count) candidates, got \(w)")
            }
            return xs[0]
        case .switchOp(let a):
            guard inputs.count == a.count else { throw ShapeError("'\(name)' has count = \(a.count) but \(inputs.count) inputs") }
            if inputs.count > 1, let m = TypeRules.equalTypes("'\(name)' candidates", inputs) { throw ShapeError(m) }
            return inputs[0]
        case .zero(let stride):
            guard let s = try AttributeValues.int(stride, "stride", of: name, atLeast: 1) else { return nil }
            if s == 1 { return inputs[0] }
            let (c, h, w) = try image(name, inputs[0])
            return TensorType(inputs[0].dtype, [inputs[0].shape[0], .fixed(c), .fixed((h + s - 1) / s), .fixed((w + s - 1) / s)])
        case .softmax(let axis), .logSoftmax(let axis):
            let t = try float(name, inputs[0])
            guard TypeRules.normalizedAxis(axis, rank: t.rank) != nil else { throw ShapeError("\(name) axis \(axis) is out of range for \(t)") }
            return t
        case .call, .layerChoice, .inputChoice, .repeated, .cell:
            throw ShapeError("'\(name)' needs the model space to infer its type")
        case .param(let p):
            return TensorType(.f32, p.shape.map { .fixed($0) })
        case .softmaxCrossEntropy, .nllLoss:
            let t = try float(name, inputs[0])
            guard t.rank == 2, inputs[1].dtype == .i64, inputs[1].rank == 1 else {
                throw ShapeError("\(name) expects [N, classes] scores and i64 [N] labels, got \(t) and \(inputs[1])")
            }
            return TensorType(.f32, [])
        case .mseLoss:
            let p = try float(name, inputs[0]), t = inputs[1]
            guard p.rank == 2, t.dtype == .f32, t.shape == p.shape else {
                throw ShapeError("\(name) expects [N, D] predictions and f32 targets of the same shape, got \(p) and \(t)")
            }
            return TensorType(.f32, [])
        case .paramGrad:
            return inputs[0]
        case .fusedConv2d(let f):
            return try conv2d(f.conv, inputs[0])
        default:
            // Gradient ops: autodiff annotates their types (ShapeEngine keeps them); some are not derivable from
            // their inputs alone (a strided conv's input size), so there is no rule.
            throw ShapeError("'\(name)' gets its types from autodiff")
        }
    }

    /// Requires an f32 input.
    static func float(_ op: String, _ t: TensorType) throws(ShapeError) -> TensorType {
        guard t.dtype == .f32 else { throw ShapeError("\(op) expects an f32 input, got \(t)") }
        return t
    }

    /// Channels, height and width of an f32 NCHW input with fixed C, H, W.
    static func image(_ op: String, _ t: TensorType) throws(ShapeError) -> (Int, Int, Int) {
        _ = try float(op, t)
        guard t.rank == 4 else { throw ShapeError("\(op) expects a 4-d NCHW input, got \(t)") }
        guard let c = t.shape[1].value, let h = t.shape[2].value, let w = t.shape[3].value else {
            throw ShapeError("\(op) expects fixed channel and spatial sizes, got \(t)")
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
        if let g = groups {
            if c % g != 0 { throw ShapeError("conv2d groups (\(g)) must divide the input channels (\(c))") }
            if let o = out, o % g != 0 { throw ShapeError("conv2d groups (\(g)) must divide the output channels (\(o))") }
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
        let (ho, wo) = try spatial(h: h, w: w, kernel: k, stride: s, padding: p, dilation: d)
        return TensorType(input.dtype, [input.shape[0], .fixed(o), .fixed(ho), .fixed(wo)])
    }

    /// Output height and width of a sliding window; an empty output is an error naming the window.
    static func spatial(h: Int, w: Int, kernel k: Int, stride s: Int, padding p: AttributeValues.ResolvedPadding,
                        dilation d: Int) throws(ShapeError) -> (Int, Int) {
        func size(_ n: Int) -> Int {
            switch p {
            case .same, .symbolic: return (n + s - 1) / s
            case .explicit(let pad):
                let span = n + 2 * pad - d * (k - 1) - 1
                return span < 0 ? 0 : span / s + 1
            }
        }
        if case .same = p, Padding.sameAmount(size: h, kernel: k, stride: s, dilation: d) == nil
            || Padding.sameAmount(size: w, kernel: k, stride: s, dilation: d) == nil {
            throw ShapeError("padding = same with kernel \(k), stride \(s)\(d == 1 ? "" : ", dilation \(d)") on a \(h)x\(w) input needs asymmetric padding, which is not supported")
        }
        let ho = size(h), wo = size(w)
        if ho <= 0 || wo <= 0 {
            var pad = "same"
            if case .explicit(let v) = p { pad = String(v) }
            let dil = d == 1 ? "" : ", dilation \(d)"
            throw ShapeError("output size is \(ho <= 0 ? ho : wo) (input \(h)x\(w), kernel \(k), stride \(s), padding \(pad)\(dil))")
        }
        return (ho, wo)
    }

    static func linear(_ a: LinearAttrs, _ input: TensorType) throws(ShapeError) -> TensorType? {
        let t = try float("linear", input)
        guard t.rank >= 2, t.shape[t.rank - 1].value != nil else {
            throw ShapeError("linear expects [N, ..., features] with fixed features, got \(t)")
        }
        if let stated = a.inFeatures, let s = try AttributeValues.int(stated, "in", of: "linear", atLeast: 1),
           let m = TypeRules.statedFeaturesProblem(stated: s, input: t) {
            throw ShapeError(m)
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
            throw ShapeError("\(op) padding \(pad) must be at most half the kernel size \(k)")
        }
        let (ho, wo) = try spatial(h: h, w: w, kernel: k, stride: s, padding: p, dilation: 1)
        return TensorType(input.dtype, [input.shape[0], .fixed(c), .fixed(ho), .fixed(wo)])
    }
}
