// TypeRules: the output type of a base op for concrete input types and chosen attribute values (PyTorch semantics).
import NASCIR

/// Shape rules used by the static checker, one concrete combination at a time.
enum TypeRules {
    /// Why a combination is rejected.
    struct Failure: Error {
        var message: String
        var hint: String?
        init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }
    }

    /// The output type of `op` (a base op, not a primitive) applied to `inputs`.
    static func infer(_ op: Op, _ inputs: [TensorType], value: (ValueExpr) throws -> Scalar) throws -> TensorType {
        func num(_ e: ValueExpr, _ name: String, min lo: Int = 1) throws -> Int {
            let s: Scalar
            do { s = try value(e) } catch { throw Failure("\(name) of \(op.kind.rawValue): \(error)") }
            guard let i = s.asInt else { throw Failure("\(name) of \(op.kind.rawValue) must be an integer, but is \(s)") }
            guard i >= lo else { throw Failure("\(name) of \(op.kind.rawValue) must be at least \(lo), but is \(i)") }
            guard i <= 1 << 24 else { throw Failure("\(name) of \(op.kind.rawValue) is too large: \(i)") }
            return i
        }
        for t in inputs where t.dtype != .f32 {
            throw Failure("\(op.kind.rawValue) needs f32 input, but gets \(t)")
        }
        guard let x = inputs.first else { throw Failure("\(op.kind.rawValue) has no input") }
        func image(_ what: String) throws -> (Dim, Int, Int, Int) {
            guard x.rank == 4, let c = x.shape[1].value, let h = x.shape[2].value, let w = x.shape[3].value else {
                throw Failure("\(what) needs an image input [N,C,H,W], but gets \(x)",
                              hint: x.rank == 2 ? "the input was flattened; move the flatten after this layer" : nil)
            }
            return (x.shape[0], c, h, w)
        }
        func spatial(_ size: Int, kernel k: Int, stride s: Int, padding: Padding, dilation d: Int, what: String) throws -> Int {
            switch padding {
            case .same:
                guard Padding.sameAmount(size: size, kernel: k, stride: s, dilation: d) != nil else {
                    throw Failure("\(what) with kernel \(k), stride \(s)\(d == 1 ? "" : ", dilation \(d)") and padding: same on a size-\(size) input needs more padding on one side than the other, which nasc does not support",
                                  hint: "give the padding explicitly, e.g. padding: \(d * (k - 1) / 2)")
                }
                return (size + s - 1) / s
            case .explicit(let pe):
                let p = try num(pe, "padding", min: 0)
                let out = (size + 2 * p - d * (k - 1) - 1) / s + 1
                guard size + 2 * p - d * (k - 1) - 1 >= 0, out >= 1 else {
                    throw Failure("\(what) with kernel \(k) does not fit its \(size)x\(size) input (padding \(p), dilation \(d))",
                                  hint: "use padding: same, a smaller kernel, or a larger input")
                }
                return out
            }
        }
        switch op {
        case .conv2d(let a):
            let (n, c, h, w) = try image("conv2d")
            let out = try num(a.outChannels, "out"), k = try num(a.kernel, "kernel"), s = try num(a.stride, "stride")
            let d = try num(a.dilation, "dilation"), g = try num(a.groups, "groups")
            if let ie = a.inChannels {
                let i = try num(ie, "in")
                guard i == c else { throw Failure("conv2d expects \(i) input channels, but gets \(c) (input \(x))") }
            }
            guard c % g == 0, out % g == 0 else { throw Failure("conv2d groups \(g) must divide input channels \(c) and output channels \(out)") }
            return TensorType(.f32, [n, .fixed(out), .fixed(try spatial(h, kernel: k, stride: s, padding: a.padding, dilation: d, what: "conv2d")),
                                     .fixed(try spatial(w, kernel: k, stride: s, padding: a.padding, dilation: d, what: "conv2d"))])
        case .depthwiseConv2d(let a):
            let (n, c, h, w) = try image("depthwise_conv2d")
            let k = try num(a.kernel, "kernel"), s = try num(a.stride, "stride"), d = try num(a.dilation, "dilation")
            return TensorType(.f32, [n, .fixed(c), .fixed(try spatial(h, kernel: k, stride: s, padding: a.padding, dilation: d, what: "depthwise_conv2d")),
                                     .fixed(try spatial(w, kernel: k, stride: s, padding: a.padding, dilation: d, what: "depthwise_conv2d"))])
        case .separableConv2d(let a):
            let (n, _, h, w) = try image("separable_conv2d")
            let out = try num(a.outChannels, "out"), k = try num(a.kernel, "kernel"), s = try num(a.stride, "stride")
            let d = try num(a.dilation, "dilation")
            return TensorType(.f32, [n, .fixed(out), .fixed(try spatial(h, kernel: k, stride: s, padding: a.padding, dilation: d, what: "separable_conv2d")),
                                     .fixed(try spatial(w, kernel: k, stride: s, padding: a.padding, dilation: d, what: "separable_conv2d"))])
        case .linear(let a):
            guard x.rank >= 2, let f = x.shape[x.rank - 1].value else { throw Failure("linear needs an input [N, features], but gets \(x)") }
            if x.rank > 2 {
                throw Failure("linear needs an input [N, features], but gets \(x)", hint: "insert flatten (or global_avg_pool) before it")
            }
            let out = try num(a.outFeatures, "out")
            if let ie = a.inFeatures {
                let i = try num(ie, "in")
                guard i == f else { throw Failure("linear expects \(i) input features, but gets \(f) (input \(x))",
                                                  hint: "drop 'in' to infer it from the input") }
            }
            var shape = x.shape
            shape[x.rank - 1] = .fixed(out)
            return TensorType(.f32, shape)
        case .batchNorm:
            guard x.rank >= 2, x.rank <= 4 else { throw Failure("batch_norm needs [N,C], [N,C,L] or [N,C,H,W], but gets \(x)") }
            return x
        case .layerNorm:
            guard x.rank >= 2 else { throw Failure("layer_norm needs a batched input, but gets \(x)") }
            return x
        case .activation, .identity:
            return x
        case .softmax(let axis), .logSoftmax(let axis):
            let ax = axis < 0 ? axis + x.rank : axis
            guard ax >= 1, ax < x.rank else { throw Failure("\(op.kind.rawValue) axis \(axis) is out of range for \(x)") }
            return x
        case .dropout(let p):
            let v: Double
            do { v = try value(p).asDouble } catch { throw Failure("p of dropout: \(error)") }
            guard v >= 0, v < 1 else { throw Failure("dropout probability must be in [0, 1), but is \(v)") }
            return x
        case .maxPool2d(let a), .avgPool2d(let a):
            let what = op.kind.rawValue
            let (n, c, h, w) = try image(what)
            let k = try num(a.kernel, "kernel")
            let s = try a.stride.map { try num($0, "stride") } ?? k
            if case .explicit(let pe) = a.padding {
                let p = try num(pe, "padding", min: 0)
                guard 2 * p <= k else { throw Failure("\(what) padding \(p) must be at most half the kernel \(k)") }
            }
            return TensorType(.f32, [n, .fixed(c), .fixed(try spatial(h, kernel: k, stride: s, padding: a.padding, dilation: 1, what: what)),
                                     .fixed(try spatial(w, kernel: k, stride: s, padding: a.padding, dilation: 1, what: what))])
        case .globalAvgPool:
            let (n, c, _, _) = try image("global_avg_pool")
            return TensorType(.f32, [n, .fixed(c)])
        case .flatten:
            guard x.rank >= 2 else { throw Failure("flatten needs a batched input, but gets \(x)") }
            var n = 1
            for d in x.shape.dropFirst() {
                let (p, o) = n.multipliedReportingOverflow(by: d.value ?? 1)
                guard !o, p <= 1 << 36 else { throw Failure("flatten of \(x) has too many features") }
                n = p
            }
            return TensorType(.f32, [x.shape[0], .fixed(n)])
        case .add, .mul:
            for t in inputs.dropFirst() where t != x {
                throw Failure("\(op.kind.rawValue) needs inputs of equal shape, but gets \(x) and \(t)")
            }
            return x
        case .concat(let axis):
            let ax = axis < 0 ? axis + x.rank : axis
            guard ax >= 1, ax < x.rank else { throw Failure("concat axis \(axis) is out of range for \(x)") }
            var total = 0
            for t in inputs {
                guard t.rank == x.rank, (0..<x.rank).allSatisfy({ $0 == ax || t.shape[$0] == x.shape[$0] }), let v = t.shape[ax].value else {
                    throw Failure("concat along axis \(axis) needs matching shapes, but gets \(x) and \(t)")
                }
                total += v
            }
            var shape = x.shape
            shape[ax] = .fixed(total)
            return TensorType(.f32, shape)
        case .zero(let se):
            let s = try num(se, "stride")
            if s == 1 { return x }
            let (n, c, h, w) = try image("zero with stride \(s)")
            return TensorType(.f32, [n, .fixed(c), .fixed((h + s - 1) / s), .fixed((w + s - 1) / s)])
        case .call, .layerChoice, .inputChoice, .repeated, .cell:
            throw Failure("internal: \(op.kind.rawValue) is not a base op")
        default:
            throw Failure("internal: \(op.kind.rawValue) is a training op, not a space op")
        }
    }
}
