// SupernetValueChoice: the supernet rewrite of value choices — the largest layer with weight-slicing masks.
import NASCIR

/// Rewrites the value-choice attributes of the inlined supernet root graph (FBNetV2 / OFA weight sharing, like
/// NNI's mixed operations). Every layer keeps static shapes: it is computed at the largest value with explicit
/// parameters, and its weights are multiplied by a mask per value choice:
///
/// - `conv2d {out = $w}` / `linear {out = $w}`: weight rows (and bias entries) `>= w` are zeroed — the same as
///   slicing the layer to `w` outputs; the next layer then reads zeros in those channels, which is the same as
///   slicing its input channels.
/// - `conv2d` / `depthwise_conv2d {kernel = $k}`: the `k x k` centre of the `kmax x kmax` kernel (a zero border);
///   explicit padding must grow by `(kmax - k) / 2` with the kernel (`padding = same` with odd kernels does).
/// - The mask of a label is `weighted_sum(mask_0, ..., softmax(alpha))` (darts: FBNetV2's weighted mask, one big
///   conv) or `switch(mask_0, ...)` (sampled: the executor's selection picks the value, no recompile). Masks are
///   non-trainable `param`s with a `box` initializer; one alpha per label across all uses.
/// - Masked channels stay exactly zero downstream: a `batch_norm` on them gets its `gamma` and `beta` masked, a
///   `depthwise_conv2d` its bias; relu, relu6, tanh, gelu, hardswish, pooling, dropout and identity keep zeros.
///   Ops that would turn masked zeros into non-zeros (sigmoid, softmax, layer_norm) are errors.
///
/// Every other value-choice use is a located error naming the attribute and the label.
struct SupernetValueChoices {
    let mode: SupernetMode
    let graph: Graph
    let values: [String: [Scalar]]
    var engine = DiagnosticEngine()
    private var nodes: [Node] = []
    private var taken: Set<String>
    private var types: [String: TensorType] = [:]
    /// Mixed masks by key (label, shape, boxes).
    private var masks: [String: ValueRef] = [:]
    private var weightNodes: [String: ValueRef] = [:]
    /// Values whose channels (dimension 1) beyond a value choice's width are zero: label and width per value.
    private var channelMasks: [String: (label: String, widths: [Int])] = [:]

    init(space: ModelSpace, graph: Graph, mode: SupernetMode) {
        self.mode = mode; self.graph = graph
        values = Dictionary(space.valueChoices.map { ($0.label, $0.values) }, uniquingKeysWith: { a, _ in a })
        taken = Set(graph.inputs.map(\.name) + graph.nodes.map(\.name))
        for i in graph.inputs { types[i.name] = i.type }
    }

    /// The rewritten graph (unchanged when it reads no value choice).
    mutating func run() -> Graph {
        guard graph.nodes.contains(where: { !$0.op.valueLabels.isEmpty }) else { return graph }
        for n in graph.nodes {
            if engine.hasErrors { break }
            rewrite(n)
        }
        var g = graph
        g.nodes = nodes
        return g
    }

    // MARK: - Helpers

    private mutating func fresh(_ base: String) -> String {
        var name = base, i = 1
        while taken.contains(name) { name = "\(base)_\(i)"; i += 1 }
        taken.insert(name)
        return name
    }

    private func type(_ r: ValueRef) -> TensorType? { r.slot == 0 ? types[r.node] : nil }

    private mutating func append(_ n: Node) {
        var node = n
        if let t = try? OpShapeRules.outputType(n.op, n.inputs.compactMap { type($0) }), n.inputs.allSatisfy({ type($0) != nil }) {
            types[n.name] = t
            node.types = [t]
        } else if case .param(let p) = n.op {
            types[n.name] = TensorType(.f32, p.shape.map { .fixed($0) })
        }
        nodes.append(node)
    }

    private mutating func param(_ name: String, _ shape: [Int], _ initializer: ParamInit, trainable: Bool = true, node: String? = nil,
                                _ at: Node) -> ValueRef {
        let n = Node(name: fresh(node ?? name), op: .param(ParamAttrs(name: name, shape: shape, initializer: initializer, trainable: trainable)),
                     inputs: [], types: [TensorType(.f32, shape.map { .fixed($0) })], location: at.location)
        append(n)
        return ValueRef(n.name)
    }

    /// The values of `e` for each value of `label` (nil after reporting an error).
    private mutating func evaluate(_ e: ValueExpr, _ label: String, _ attr: String, _ at: Node) -> [Int]? {
        guard let vs = values[label] else {
            engine.error("'\(at.name)' reads undeclared value choice '\(label)'", at: at.location)
            return nil
        }
        var out: [Int] = []
        for v in vs {
            guard let r = try? e.evaluate({ $0 == label ? v : nil }), let i = r.asInt, i > 0 else {
                engine.error("\(attr) = \(e) of '\(at.name)' is not a positive integer for $\(label) = \(v)", at: at.location)
                return nil
            }
            out.append(i)
        }
        return out
    }

    /// The single label an attribute reads (nil for constants); an error for several.
    private mutating func label(of e: ValueExpr, _ attr: String, _ at: Node) -> String?? {
        let ls = e.labels
        if ls.count > 1 {
            engine.error("\(attr) of '\(at.name)' reads several value choices (\(ls.map { "$" + $0 }.joined(separator: ", "))); a supernet supports one per attribute",
                         at: at.location)
            return .none
        }
        return .some(ls.first)
    }

    private mutating func unsupported(_ attr: String, _ e: ValueExpr, _ at: Node) {
        engine.error("value choice \(e.labels.map { "$" + $0 }.joined(separator: ", ")) in attribute '\(attr)' of \(at.op.kind.rawValue) '\(at.name)' is not supported in a supernet (only widths and kernel sizes of conv2d, linear and depthwise_conv2d)",
                     at: at.location)
    }

    /// The softmax of a label's alpha (darts), one per label.
    private mutating func weights(_ label: String, count: Int, _ at: Node) -> ValueRef {
        if let w = weightNodes[label] { return w }
        let safe = String(label.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        let a = param(SupernetPass.alphaName(label), [count], .zeros, node: "arch_\(safe)", at)
        let w = Node(name: fresh("arch_\(safe).weights"), op: .softmax(axis: -1), inputs: [a], location: at.location)
        append(w)
        weightNodes[label] = ValueRef(w.name)
        return ValueRef(w.name)
    }

    /// The mixed mask of `label` over `shape`: candidate `k` keeps the box `lower[k] ..< upper[k]`.
    private mutating func mask(_ label: String, owner: String, shape: [Int], lower: [[Int]], upper: [[Int]], _ at: Node) -> ValueRef {
        let key = "\(label)|\(shape)|\(lower)|\(upper)"
        if let m = masks[key] { return m }
        let base = fresh("\(owner).mask")
        var parts: [ValueRef] = []
        for k in lower.indices {
            parts.append(param("\(base).\(k)", shape, .box(lower: lower[k], upper: upper[k]), trainable: false, at))
        }
        let m: Node
        if parts.count == 1 {
            m = Node(name: base, op: .identity, inputs: parts, location: at.location)
        } else {
            switch mode {
            case .darts:
                m = Node(name: base, op: .weightedSum, inputs: parts + [weights(label, count: parts.count, at)], location: at.location)
            case .sampled:
                m = Node(name: base, op: .switchOp(SwitchAttrs(label: label, count: parts.count)), inputs: parts, location: at.location)
            }
        }
        append(m)
        masks[key] = ValueRef(m.name)
        return ValueRef(m.name)
    }

    /// `x` multiplied by every mask in `ms`.
    private mutating func masked(_ x: ValueRef, _ ms: [ValueRef], _ name: String, _ at: Node) -> ValueRef {
        var v = x
        for (i, m) in ms.enumerated() {
            let n = Node(name: fresh(i == ms.count - 1 ? name : "\(name).\(i)"), op: .mul, inputs: [v, m], location: at.location)
            append(n)
            v = ValueRef(n.name)
        }
        return v
    }

    /// A channel mask of length `c` for the widths of a masked value.
    private mutating func channelMask(_ m: (label: String, widths: [Int]), c: Int, owner: String, _ at: Node) -> ValueRef {
        mask(m.label, owner: owner, shape: [c], lower: m.widths.map { _ in [0] }, upper: m.widths.map { [min($0, c)] }, at)
    }

    // MARK: - Rewrites

    private mutating func rewrite(_ n: Node) {
        let inMask = n.inputs.first.flatMap { $0.slot == 0 ? channelMasks[$0.node] : nil }
        switch n.op {
        case .conv2d(let a) where !n.op.valueLabels.isEmpty:
            rewriteConv(n, a)
        case .linear(let a) where !n.op.valueLabels.isEmpty:
            rewriteLinear(n, a)
        case .depthwiseConv2d(let a) where !n.op.valueLabels.isEmpty || (inMask != nil && a.bias && n.inputs.count == 1):
            rewriteDepthwise(n, a, inMask)
        case .batchNorm(let a) where inMask != nil && a.affine && n.inputs.count == 1:
            guard let m = inMask, let t = type(n.inputs[0]), t.rank >= 2, let c = t.shape[1].value else {
                engine.error("batch_norm '\(n.name)' after a value-choice width needs a known channel count", at: n.location)
                return
            }
            let cm = channelMask(m, c: c, owner: n.name, n)
            let gamma = masked(param("\(n.name).weight", [c], .ones, n), [cm], "\(n.name).weight_masked", n)
            let beta = masked(param("\(n.name).bias", [c], .zeros, n), [cm], "\(n.name).bias_masked", n)
            let rm = param("\(n.name).running_mean", [c], .zeros, trainable: false, n)
            let rv = param("\(n.name).running_var", [c], .ones, trainable: false, n)
            var node = n
            node.inputs = [n.inputs[0], gamma, beta, rm, rv]
            append(node)
            channelMasks[n.name] = m
        default:
            if !n.op.valueLabels.isEmpty {
                for attr in n.op.attributes {
                    if case .expr(let e) = attr.value, !e.labels.isEmpty { unsupported(attr.name, e, n); return }
                }
            }
            append(n)
            propagate(n, inMask)
        }
    }

    /// Tracks masked channels through ops that keep zeros at zero; reports ops that would not.
    private mutating func propagate(_ n: Node, _ inMask: (label: String, widths: [Int])?) {
        switch n.op {
        case .activation(let f):
            guard let m = inMask else { return }
            if f == .sigmoid {
                engine.error("sigmoid '\(n.name)' reads channels that value choice '\(m.label)' masks to zero and would make them non-zero; put it before the width choice or use another activation",
                             at: n.location)
            } else {
                channelMasks[n.name] = m
            }
        case .identity, .dropout, .maxPool2d, .avgPool2d, .globalAvgPool, .zero, .batchNorm, .depthwiseConv2d:
            if let m = inMask { channelMasks[n.name] = m }
        case .flatten:
            if let m = inMask, let t = type(n.inputs[0]), t.shape.dropFirst(2).allSatisfy({ $0.value == 1 }) { channelMasks[n.name] = m }
        case .add, .mul, .weightedSum, .switchOp:
            let ins = n.op.kind == .weightedSum ? Array(n.inputs.dropLast()) : n.inputs
            let ms = ins.map { $0.slot == 0 ? channelMasks[$0.node] : nil }
            if let f = ms.first, let m = f, ms.allSatisfy({ $0?.label == m.label && $0?.widths == m.widths }) { channelMasks[n.name] = m }
        case .softmax, .logSoftmax, .layerNorm:
            if let m = inMask {
                engine.error("\(n.op.kind.rawValue) '\(n.name)' reads channels that value choice '\(m.label)' masks to zero and would mix them into the others; not supported in a supernet",
                             at: n.location)
            }
        default:
            break
        }
    }

    /// Checks a kernel choice's padding: `k` cropped from `kmax` needs padding `p(kmax) - d (kmax - k) / 2`.
    private mutating func kernelPadding(_ padding: Padding, _ label: String?, kernels: [Int], dilation: Int, _ n: Node) -> Padding? {
        let kmax = kernels.max() ?? 1
        switch padding {
        case .same:
            guard kernels.allSatisfy({ $0 % 2 == 1 }) else {
                engine.error("kernel choice of '\(n.name)' with padding = same needs odd kernel sizes, got \(kernels)", at: n.location)
                return nil
            }
            return .same
        case .explicit(let e):
            var pads: [Int] = []
            if e.labels.isEmpty {
                guard let p = e.constantInt else { return nil }
                pads = kernels.map { _ in p }
            } else {
                guard let l = label, e.labels == [l], let vs = values[l] else {
                    engine.error("padding of '\(n.name)' may only read the kernel's value choice", at: n.location)
                    return nil
                }
                for v in vs {
                    guard let p = (try? e.evaluate { $0 == l ? v : nil })?.asInt else {
                        engine.error("padding = \(e) of '\(n.name)' is not an integer for $\(l) = \(v)", at: n.location)
                        return nil
                    }
                    pads.append(p)
                }
            }
            let pmax = pads[kernels.firstIndex(of: kmax) ?? 0]
            for (k, p) in zip(kernels, pads) where (kmax - k) % 2 != 0 || p + dilation * (kmax - k) / 2 != pmax {
                engine.error("kernel choice of '\(n.name)': kernel \(k) with padding \(p) is not the centre of kernel \(kmax) with padding \(pmax) (use padding = same or (k - 1) / 2 with odd kernels)",
                             at: n.location)
                return nil
            }
            return .explicit(.int(pmax))
        }
    }

    /// The per-value widths and kernel sizes of a layer (labels or constants); nil after an error.
    private struct Choice { var label: String?; var values: [Int] }

    private mutating func choice(_ e: ValueExpr, _ attr: String, _ n: Node) -> Choice? {
        guard case .some(let l) = label(of: e, attr, n) else { return nil }
        if let l {
            guard let vs = evaluate(e, l, attr, n) else { return nil }
            return Choice(label: l, values: vs)
        }
        guard let c = e.constantInt, c > 0 else { return nil }
        return Choice(label: nil, values: [c])
    }

    /// Masks over a weight of `shape` for an output choice (dimension 0) and a kernel choice (dimensions 2, 3);
    /// one mask per label (a label read by both gives one box per value).
    private mutating func weightMasks(out: Choice?, kernel: Choice?, shape: [Int], owner: String, _ n: Node) -> [ValueRef] {
        var byLabel: [(String, [[Int]], [[Int]])] = []
        func add(_ label: String, _ lo: [[Int]], _ hi: [[Int]]) {
            if let i = byLabel.firstIndex(where: { $0.0 == label }) {
                byLabel[i].1 = zip(byLabel[i].1, lo).map { zip($0, $1).map { max($0, $1) } }
                byLabel[i].2 = zip(byLabel[i].2, hi).map { zip($0, $1).map { min($0, $1) } }
            } else {
                byLabel.append((label, lo, hi))
            }
        }
        let full = shape
        if let o = out, let l = o.label {
            add(l, o.values.map { _ in shape.map { _ in 0 } }, o.values.map { c in [c] + full.dropFirst() })
        }
        if let k = kernel, let l = k.label {
            let kmax = shape[2]
            add(l, k.values.map { v in [0, 0, (kmax - v) / 2, (kmax - v) / 2] },
                k.values.map { v in [full[0], full[1], (kmax - v) / 2 + v, (kmax - v) / 2 + v] })
        }
        return byLabel.map { mask($0.0, owner: owner, shape: shape, lower: $0.1, upper: $0.2, n) }
    }

    private mutating func rewriteConv(_ n: Node, _ a: Conv2DAttrs) {
        for (attr, e) in [("stride", a.stride), ("dilation", a.dilation), ("groups", a.groups)] + (a.inChannels.map { [("in", $0)] } ?? [])
            where !e.labels.isEmpty { unsupported(attr, e, n); return }
        guard let out = choice(a.outChannels, "out", n), let kernel = choice(a.kernel, "kernel", n),
              let dilation = a.dilation.constantInt, let groups = a.groups.constantInt else { return }
        guard out.label == nil || groups == 1 else {
            engine.error("a width choice on conv2d '\(n.name)' needs groups = 1", at: n.location)
            return
        }
        let padding: Padding
        if kernel.label == nil {
            if case .explicit(let e) = a.padding, !e.labels.isEmpty { unsupported("padding", e, n); return }
            padding = a.padding
        } else {
            guard let p = kernelPadding(a.padding, kernel.label, kernels: kernel.values, dilation: dilation, n) else { return }
            padding = p
        }
        guard let t = type(n.inputs[0]), t.rank == 4, let cin = t.shape[1].value, groups > 0, cin % groups == 0 else {
            engine.error("conv2d '\(n.name)' with a value choice needs a known NCHW input type", at: n.location)
            return
        }
        let cmax = out.values.max() ?? 1, kmax = kernel.values.max() ?? 1
        let fanIn = cin / groups * kmax * kmax
        let shape = [cmax, cin / groups, kmax, kmax]
        let w = param("\(n.name).weight", shape, .kaimingUniform(fanIn: fanIn), n)
        let wm = masked(w, weightMasks(out: out, kernel: kernel, shape: shape, owner: "\(n.name).weight", n), "\(n.name).weight_masked", n)
        var inputs = [n.inputs[0], wm]
        if a.bias {
            let b = param("\(n.name).bias", [cmax], .fanInUniform(fanIn: fanIn), n)
            inputs.append(out.label == nil ? b : masked(b, [channelMask((out.label!, out.values), c: cmax, owner: "\(n.name).bias", n)],
                                                        "\(n.name).bias_masked", n))
        }
        var attrs = a
        attrs.outChannels = .int(cmax); attrs.kernel = .int(kmax); attrs.padding = padding
        append(Node(name: n.name, op: .conv2d(attrs), inputs: inputs, location: n.location))
        if let l = out.label { channelMasks[n.name] = (l, out.values) }
    }

    private mutating func rewriteLinear(_ n: Node, _ a: LinearAttrs) {
        if let e = a.inFeatures, !e.labels.isEmpty { unsupported("in", e, n); return }
        guard let out = choice(a.outFeatures, "out", n) else { return }
        guard let t = type(n.inputs[0]), t.rank >= 2, let fin = t.shape[t.rank - 1].value else {
            engine.error("linear '\(n.name)' with a value choice needs a known input type", at: n.location)
            return
        }
        let fmax = out.values.max() ?? 1
        let w = param("\(n.name).weight", [fmax, fin], .kaimingUniform(fanIn: fin), n)
        let wm = masked(w, weightMasks(out: out, kernel: nil, shape: [fmax, fin], owner: "\(n.name).weight", n), "\(n.name).weight_masked", n)
        var inputs = [n.inputs[0], wm]
        if a.bias, let l = out.label {
            let b = param("\(n.name).bias", [fmax], .fanInUniform(fanIn: fin), n)
            inputs.append(masked(b, [channelMask((l, out.values), c: fmax, owner: "\(n.name).bias", n)], "\(n.name).bias_masked", n))
        }
        var attrs = a
        attrs.outFeatures = .int(fmax)
        append(Node(name: n.name, op: .linear(attrs), inputs: inputs, location: n.location))
        if let l = out.label, t.rank == 2 { channelMasks[n.name] = (l, out.values) }
    }

    private mutating func rewriteDepthwise(_ n: Node, _ a: DepthwiseConv2DAttrs, _ inMask: (label: String, widths: [Int])?) {
        for (attr, e) in [("stride", a.stride), ("dilation", a.dilation)] where !e.labels.isEmpty { unsupported(attr, e, n); return }
        guard let kernel = choice(a.kernel, "kernel", n), let dilation = a.dilation.constantInt else { return }
        let padding: Padding
        if kernel.label == nil {
            padding = a.padding
            if case .explicit(let e) = a.padding, !e.labels.isEmpty { unsupported("padding", e, n); return }
        } else {
            guard let p = kernelPadding(a.padding, kernel.label, kernels: kernel.values, dilation: dilation, n) else { return }
            padding = p
        }
        guard let t = type(n.inputs[0]), t.rank == 4, let c = t.shape[1].value else {
            engine.error("depthwise_conv2d '\(n.name)' with a value choice needs a known NCHW input type", at: n.location)
            return
        }
        let kmax = kernel.values.max() ?? 1
        let shape = [c, 1, kmax, kmax]
        let w = param("\(n.name).weight", shape, .kaimingUniform(fanIn: kmax * kmax), n)
        let wm = masked(w, weightMasks(out: nil, kernel: kernel, shape: shape, owner: "\(n.name).weight", n), "\(n.name).weight_masked", n)
        var inputs = [n.inputs[0], wm]
        if a.bias {
            let b = param("\(n.name).bias", [c], .fanInUniform(fanIn: kmax * kmax), n)
            inputs.append(inMask.map { masked(b, [channelMask($0, c: c, owner: "\(n.name).bias", n)], "\(n.name).bias_masked", n) } ?? b)
        }
        var attrs = a
        attrs.kernel = .int(kmax); attrs.padding = padding
        append(Node(name: n.name, op: .depthwiseConv2d(attrs), inputs: inputs, location: n.location))
        if let m = inMask { channelMasks[n.name] = m }
    }
}
