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
/// - `lstm` / `gru {hidden = $h}`: in every weight and bias, the rows `>= h` of each gate block are zeroed; those
///   units stay exactly 0 (``rewriteRecurrent(_:_:)``), so the output has zeros past `h` in each direction's half.
/// - The mask of a label is `weighted_sum(mask_0, ..., weights)` with the label's weights of the mode
///   (``SupernetWeights``: darts `softmax(alpha)`, FBNetV2's weighted mask with one big conv; gumbel its
///   Gumbel-softmax; proxyless its binary gate) or `switch(mask_0, ...)` (sampled: the executor's selection picks the
///   value, no recompile). Masks are non-trainable `param`s with a `box` initializer; one alpha (gate) per label
///   across all uses.
/// - Masked channels stay exactly zero downstream: a `batch_norm` on them gets its `gamma` and `beta` masked, a
///   `depthwise_conv2d` its bias; relu, relu6, tanh, gelu, hardswish, pooling, dropout and identity keep zeros;
///   a channel `concat` keeps each input's mask as one segment of its ``ChannelLayout``.
///   Ops that would turn masked zeros into non-zeros (sigmoid, softmax, layer_norm, a separable conv's bias) are errors.
///
/// Every other value-choice use is a located error naming the attribute and the label.
struct SupernetValueChoices {
    let mode: SupernetMode
    let graph: Graph
    let values: [String: [Scalar]]
    var engine = DiagnosticEngine()
    private var nodes: [Node] = []
    /// Sequence values `[N,T,C]` whose last-dimension channels a width choice on a `conv1d` masks to zero, with the label.
    private var sequenceMasks: [String: String] = [:]
    private var taken: Set<String>
    private var types: [String: TensorType] = [:]
    /// Mixed masks by key (label, shape, boxes).
    private var masks: [String: ValueRef] = [:]
    private var weightNodes: [String: ValueRef] = [:]
    /// Values some of whose channels (dimension 1) value choices mask to zero, with their layout.
    private var channelMasks: [String: ChannelLayout] = [:]
    /// Summed segment masks of multi-segment layouts, by layout.
    private var layoutMasks: [ChannelLayout: ValueRef] = [:]

    /// Straight-through Gumbel weights (gumbel mode, pass option `gumbel_hard=true`).
    let hard: Bool
    /// The scope of the node being rewritten: the nodes its rewrite creates take it (a label's shared weights do not).
    private var scope: [CandidateCondition] = []

    init(space: ModelSpace, graph: Graph, mode: SupernetMode, hard: Bool = false) {
        self.mode = mode; self.graph = graph; self.hard = hard
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
        if node.scope.isEmpty { node.scope = scope }
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

    /// Every combination of the values of `labels` (row-major: the last label varies fastest).
    private func combinations(_ labels: [String]) -> [[String: Scalar]] {
        var out: [[String: Scalar]] = [[:]]
        for l in labels {
            let vs = values[l] ?? []
            out = out.flatMap { c in vs.map { v in c.merging([l: v]) { a, _ in a } } }
        }
        return out
    }

    /// The value of `e` for every combination of `labels` (nil after reporting an error); `positive` requires > 0.
    private mutating func evaluate(_ e: ValueExpr, over labels: [String], _ attr: String, _ at: Node, positive: Bool = true) -> [Int]? {
        for l in e.labels where values[l] == nil {
            engine.error("'\(at.name)' reads undeclared value choice '\(l)'", at: at.location)
            return nil
        }
        var out: [Int] = []
        for c in combinations(labels) {
            guard let r = try? e.evaluate({ c[$0] }), let i = r.asInt, !positive || i > 0 else {
                let desc = c.sorted { $0.key < $1.key }.map { "$\($0.key) = \($0.value)" }.joined(separator: ", ")
                engine.error("\(attr) = \(e) of '\(at.name)' is not a \(positive ? "positive " : "")integer for \(desc)", at: at.location)
                return nil
            }
            out.append(i)
        }
        return out
    }

    private mutating func unsupported(_ attr: String, _ e: ValueExpr, _ at: Node) {
        engine.error("value choice \(e.labels.map { "$" + $0 }.joined(separator: ", ")) in attribute '\(attr)' of \(at.op.kind.rawValue) '\(at.name)' is not supported in a supernet (only widths and kernel sizes of conv2d, linear and depthwise_conv2d, widths of conv1d, head counts of multihead_attention, and hidden sizes of lstm and gru)",
                     at: at.location)
    }

    /// A label's combination weights in the pass's mode (``SupernetWeights``: softmax of alpha, Gumbel-softmax or
    /// the Proxyless gate), one chain per label.
    private mutating func weights(_ label: String, count: Int, _ at: Node) -> ValueRef {
        if let w = weightNodes[label] { return w }
        let built = SupernetWeights(mode: mode, hard: hard).build(label, count: count, at: at.location) { fresh($0) }
        // One chain per label, shared by every use: in no candidate.
        let outer = scope
        scope = []
        for n in built.nodes { append(n) }
        scope = outer
        weightNodes[label] = ValueRef(built.weights)
        return ValueRef(built.weights)
    }

    /// The mixed mask over `shape` for the value combinations of `labels`: combination `k` keeps the box
    /// `lower[k] ..< upper[k]`. Several labels nest: the innermost mixes the last label.
    private mutating func mask(_ labels: [String], owner: String, shape: [Int], lower: [[Int]], upper: [[Int]], _ at: Node) -> ValueRef {
        let key = "\(labels)|\(shape)|\(lower)|\(upper)"
        if let m = masks[key] { return m }
        let base = fresh("\(owner).mask")
        // Shared by every owner with the same key, whichever candidates hold them: in no candidate (as a label's
        // weights), or a sampled step that skips the first owner's candidate would skip the mask of the others.
        let outer = scope
        scope = []
        defer { scope = outer }
        var parts: [ValueRef] = []
        for k in lower.indices {
            parts.append(param("\(base).\(k)", shape, .box(lower: lower[k], upper: upper[k]), trainable: false, at))
        }
        let m = mix(labels, parts, name: base, at)
        masks[key] = m
        return m
    }

    /// Mixes `parts` (one per combination of `labels`, row-major) into a node named `name`.
    private mutating func mix(_ labels: [String], _ parts: [ValueRef], name: String, _ at: Node) -> ValueRef {
        guard let label = labels.first, parts.count > 1 else {
            let n = Node(name: name, op: .identity, inputs: [parts[0]], location: at.location)
            append(n)
            return ValueRef(n.name)
        }
        let n = values[label]?.count ?? 1, inner = parts.count / max(n, 1)
        var subs: [ValueRef] = []
        for i in 0..<n {
            let slice = Array(parts[(i * inner)..<((i + 1) * inner)])
            if labels.count == 1 { subs.append(slice[0]); continue }
            // The inner mix is candidate i of this one.
            let outer = scope
            scope = outer + [CandidateCondition(choice: name, candidate: i)]
            subs.append(mix(Array(labels.dropFirst()), slice, name: fresh("\(name).\(i).mixed"), at))
            scope = outer
        }
        let node: Node
        switch mode {
        case .darts, .gumbel, .proxyless:
            node = Node(name: name, op: .weightedSum, inputs: subs + [weights(label, count: n, at)], location: at.location)
        case .sampled:
            node = Node(name: name, op: .switchOp(SwitchAttrs(label: label, count: n)), inputs: subs, location: at.location)
        }
        append(node)
        return ValueRef(node.name)
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
    private mutating func channelMask(_ m: Choice, c: Int, owner: String, _ at: Node) -> ValueRef {
        mask(m.labels, owner: owner, shape: [c], lower: m.values.map { _ in [0] }, upper: m.values.map { [min($0, c)] }, at)
    }

    /// The channel mask of a layout: one box mask per segment over all `layout.channels` channels, summed (the
    /// segments are disjoint); a single segment at offset 0 is its plain width mask.
    private mutating func channelMask(_ layout: ChannelLayout, owner: String, _ at: Node) -> ValueRef {
        let c = layout.channels
        if layout.segments.count == 1, let s = layout.segments.first {
            return channelMask(Choice(labels: s.labels, values: s.widths), c: c, owner: owner, at)
        }
        if let m = layoutMasks[layout] { return m }
        // Shared like the masks it sums: in no candidate.
        let outer = scope
        scope = []
        defer { scope = outer }
        let parts = layout.placed.map { offset, s in
            mask(s.labels, owner: "\(owner).segment", shape: [c], lower: s.widths.map { _ in [offset] },
                 upper: s.widths.map { [offset + $0] }, at)
        }
        let sum = summed(parts, owner: owner, at)
        layoutMasks[layout] = sum
        return sum
    }

    /// The sum of disjoint masks `parts` (at least one), in `add` nodes named after `owner`.
    private mutating func summed(_ parts: [ValueRef], owner: String, _ at: Node) -> ValueRef {
        var sum = parts[0]
        for part in parts.dropFirst() {
            let n = Node(name: fresh("\(owner).mask_sum"), op: .add, inputs: [sum, part], location: at.location)
            append(n)
            sum = ValueRef(n.name)
        }
        return sum
    }

    // MARK: - Rewrites

    private mutating func rewrite(_ n: Node) {
        scope = n.scope
        if !checkSequenceMask(n) { return }
        let inMask = n.inputs.first.flatMap { $0.slot == 0 ? channelMasks[$0.node] : nil }
        switch n.op {
        case .conv2d(let a) where !n.op.valueLabels.isEmpty:
            rewriteConv(n, a)
        case .linear(let a) where !n.op.valueLabels.isEmpty:
            rewriteLinear(n, a)
        case .conv1d(let a) where !n.op.valueLabels.isEmpty:
            rewriteConv1d(n, a)
        case .depthwiseConv2d(let a) where !n.op.valueLabels.isEmpty || (inMask != nil && a.bias && n.inputs.count == 1):
            rewriteDepthwise(n, a, inMask)
        case .multiheadAttention(let a) where !n.op.valueLabels.isEmpty:
            rewriteAttention(n, a, inMask)
        case .lstm(let a) where !n.op.valueLabels.isEmpty, .gru(let a) where !n.op.valueLabels.isEmpty:
            rewriteRecurrent(n, a)
        case .batchNorm(let a) where inMask != nil && a.affine && n.inputs.count == 1:
            guard let m = inMask, let t = type(n.inputs[0]), t.rank >= 2, let c = t.shape[1].value else {
                engine.error("batch_norm '\(n.name)' after a value-choice width needs a known channel count", at: n.location)
                return
            }
            guard m.channels == c else {
                engine.error("batch_norm '\(n.name)' has \(c) channels, but its masked input has \(m.channels)", at: n.location)
                return
            }
            let cm = channelMask(m, owner: n.name, n)
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

    /// `multihead_attention {heads = $h}`: heads cannot be masked like widths — with the model dimension fixed, a head
    /// count sets the head size `D / h`, so `h` heads are not a restriction of `hmax` heads (the softmax groups
    /// differ). The choice is instead one attention per head count, all reading ONE shared set of parameters (their
    /// shapes do not depend on `h`), mixed like a layer choice: a weighted sum (darts, gumbel, proxyless) or a switch
    /// (sampled, only the selected head count runs). At a one-hot choice this is exactly the specialized subnet.
    private mutating func rewriteAttention(_ n: Node, _ a: AttentionAttrs, _ inMask: ChannelLayout?) {
        if let m = inMask {
            engine.error("multihead_attention '\(n.name)' reads channels that value choice \(m.quotedLabels) masks to zero and would mix them into the others; not supported in a supernet",
                         at: n.location)
            return
        }
        let labels = Array(a.heads.labels).sorted()
        guard labels.count == 1 else {
            engine.error("heads = \(a.heads) of multihead_attention '\(n.name)' reads \(labels.count) value choices; a supernet supports one", at: n.location)
            return
        }
        guard n.inputs.count <= 2, let t = type(n.inputs[0]), t.rank == 3, let d = t.shape[2].value else {
            engine.error("multihead_attention '\(n.name)' needs a typed [N,T,D] input in a supernet", at: n.location)
            return
        }
        guard let heads = evaluate(a.heads, over: labels, "heads", n) else { return }
        if let h = heads.first(where: { d % $0 != 0 }) {
            engine.error("multihead_attention '\(n.name)' with \(h) heads: the head count does not divide the model dimension \(d)", at: n.location)
            return
        }
        let params = OpTable.attentionParameters(n.name, dim: d).map { param($0.name, $0.shape, $0.initializer, n) }
        let outer = scope
        var parts: [ValueRef] = []
        for (k, h) in heads.enumerated() {
            scope = outer + [CandidateCondition(choice: n.name, candidate: k)]
            let v = Node(name: fresh("\(n.name).heads_\(h)"), op: .multiheadAttention(AttentionAttrs(heads: .int(h))),
                         inputs: n.inputs + params, location: n.location)
            append(v)
            parts.append(ValueRef(v.name))
        }
        scope = outer
        _ = mix(labels, parts, name: n.name, n)
    }

    /// Tracks masked channels through ops that keep zeros at zero; reports ops that would not.
    private mutating func propagate(_ n: Node, _ inMask: ChannelLayout?) {
        switch n.op {
        case .activation(let f):
            guard let m = inMask else { return }
            if f == .sigmoid {
                engine.error("sigmoid '\(n.name)' reads channels that value choice \(m.quotedLabels) masks to zero and would make them non-zero; put it before the width choice or use another activation",
                             at: n.location)
            } else {
                channelMasks[n.name] = m
            }
        case .identity, .scale, .dropout, .maxPool2d, .avgPool2d, .globalAvgPool, .zero, .batchNorm, .depthwiseConv2d:
            if let m = inMask { channelMasks[n.name] = m }
        case .flatten:
            if let m = inMask, let t = type(n.inputs[0]), t.shape.dropFirst(2).allSatisfy({ $0.value == 1 }) { channelMasks[n.name] = m }
        case .add, .mul, .weightedSum, .switchOp:
            let ins = n.op.kind == .weightedSum ? Array(n.inputs.dropLast()) : n.inputs
            let ms = ins.map { $0.slot == 0 ? channelMasks[$0.node] : nil }
            if let f = ms.first, let m = f, ms.allSatisfy({ $0 == m }) { channelMasks[n.name] = m }
        case .concat(let axis):
            concatLayout(n, axis: axis)
        case .separableConv2d(let a):
            if let m = inMask, a.bias {
                engine.error("separable_conv2d '\(n.name)' reads channels that value choice \(m.quotedLabels) masks to zero and its depthwise bias would make them non-zero; write depthwise_conv2d + conv2d or use bias = false",
                             at: n.location)
            }
        case .softmax, .logSoftmax, .layerNorm, .multiheadAttention:
            if let m = inMask {
                engine.error("\(n.op.kind.rawValue) '\(n.name)' reads channels that value choice \(m.quotedLabels) masks to zero and would mix them into the others; not supported in a supernet",
                             at: n.location)
            }
        default:
            break
        }
    }

    /// The layout of a `concat`: along the channels, the inputs' segments in order (an unmasked input is one live
    /// segment); along another axis, the inputs' common layout. Inputs with different layouts concatenated along
    /// another axis would mix live and masked channels: an error, as is an unknown channel count.
    private mutating func concatLayout(_ n: Node, axis: Int) {
        let ms = n.inputs.map { $0.slot == 0 ? channelMasks[$0.node] : nil }
        guard let first = ms.first(where: { $0 != nil }) ?? nil else { return }
        let rank = n.inputs.first.flatMap { type($0) }?.rank ?? 0
        let along = axis < 0 ? axis + rank : axis
        guard along == 1 else {
            if ms.allSatisfy({ $0 == first }) {
                channelMasks[n.name] = first
            } else {
                engine.error("concat '\(n.name)' joins values whose channels value choice \(first.quotedLabels) masks differently along axis \(axis); concatenate along the channels (axis 1) instead",
                             at: n.location)
            }
            return
        }
        var segments: [ChannelLayout.Segment] = []
        for (r, m) in zip(n.inputs, ms) {
            if let m {
                segments += m.segments
            } else if let t = type(r), t.rank >= 2, let c = t.shape[1].value {
                segments.append(ChannelLayout.unmasked(c))
            } else {
                engine.error("concat '\(n.name)' after a value-choice width needs known channel counts", at: n.location)
                return
            }
        }
        channelMasks[n.name] = ChannelLayout(segments: segments)
    }

    /// Checks a kernel choice's padding: `k` cropped from `kmax` needs padding `p(kmax) - d (kmax - k) / 2`.
    private mutating func kernelPadding(_ padding: Padding, _ kernel: Choice, dilation: Int, _ n: Node) -> Padding? {
        let kernels = kernel.values, kmax = kernels.max() ?? 1
        switch padding {
        case .same:
            guard kernels.allSatisfy({ $0 % 2 == 1 }) else {
                engine.error("kernel choice of '\(n.name)' with padding = same needs odd kernel sizes, got \(kernels)", at: n.location)
                return nil
            }
            return .same
        case .explicit(let e):
            guard Set(e.labels).isSubset(of: kernel.labels) else {
                engine.error("padding of '\(n.name)' may only read the kernel's value choices", at: n.location)
                return nil
            }
            guard let pads = evaluate(e, over: kernel.labels, "padding", n, positive: false) else { return nil }
            let pmax = pads[kernels.firstIndex(of: kmax) ?? 0]
            for (k, p) in zip(kernels, pads) where (kmax - k) % 2 != 0 || p + dilation * (kmax - k) / 2 != pmax {
                engine.error("kernel choice of '\(n.name)': kernel \(k) with padding \(p) is not the centre of kernel \(kmax) with padding \(pmax) (use padding = same or (k - 1) / 2 with odd kernels)",
                             at: n.location)
                return nil
            }
            return .explicit(.int(pmax))
        }
    }

    /// The per-combination widths or kernel sizes of a layer attribute (no labels for a constant).
    struct Choice: Equatable { var labels: [String]; var values: [Int] }

    private mutating func choice(_ e: ValueExpr, _ attr: String, _ n: Node) -> Choice? {
        guard let vs = evaluate(e, over: e.labels, attr, n) else { return nil }
        return Choice(labels: e.labels, values: vs)
    }

    /// Masks over a weight of `shape` for an output choice (dimension 0) and a kernel choice (dimensions 2, 3); when
    /// both read the same labels they share one mask (one box per combination).
    private mutating func weightMasks(out: Choice?, kernel: Choice?, shape: [Int], owner: String, _ n: Node) -> [ValueRef] {
        let outBoxes = out.map { o in (o.labels, o.values.map { _ in shape.map { _ in 0 } }, o.values.map { [$0] + shape.dropFirst() }) }
        let kernelBoxes = kernel.map { k in
            (k.labels, k.values.map { v in [0, 0, (shape[2] - v) / 2, (shape[2] - v) / 2] },
             k.values.map { v in [shape[0], shape[1], (shape[2] - v) / 2 + v, (shape[2] - v) / 2 + v] })
        }
        var boxes = [outBoxes, kernelBoxes].compactMap { $0 }.filter { !$0.0.isEmpty }
        if boxes.count == 2 && boxes[0].0 == boxes[1].0 {
            let (a, b) = (boxes[0], boxes[1])
            boxes = [(a.0, zip(a.1, b.1).map { zip($0, $1).map { max($0, $1) } }, zip(a.2, b.2).map { zip($0, $1).map { min($0, $1) } })]
        }
        return boxes.map { mask($0.0, owner: owner, shape: shape, lower: $0.1, upper: $0.2, n) }
    }

    private mutating func rewriteConv(_ n: Node, _ a: Conv2DAttrs) {
        for (attr, e) in [("stride", a.stride), ("dilation", a.dilation), ("groups", a.groups)] + (a.inChannels.map { [("in", $0)] } ?? [])
            where !e.labels.isEmpty { unsupported(attr, e, n); return }
        guard let out = choice(a.outChannels, "out", n), let kernel = choice(a.kernel, "kernel", n),
              let dilation = a.dilation.constantInt, let groups = a.groups.constantInt else { return }
        guard out.labels.isEmpty || groups == 1 else {
            engine.error("a width choice on conv2d '\(n.name)' needs groups = 1", at: n.location)
            return
        }
        let padding: Padding
        if kernel.labels.isEmpty {
            if case .explicit(let e) = a.padding, !e.labels.isEmpty { unsupported("padding", e, n); return }
            padding = a.padding
        } else {
            guard let p = kernelPadding(a.padding, kernel, dilation: dilation, n) else { return }
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
            inputs.append(out.labels.isEmpty ? b : masked(b, [channelMask(out, c: cmax, owner: "\(n.name).bias", n)], "\(n.name).bias_masked", n))
        }
        var attrs = a
        attrs.outChannels = .int(cmax); attrs.kernel = .int(kmax); attrs.padding = padding
        append(Node(name: n.name, op: .conv2d(attrs), inputs: inputs, location: n.location))
        if !out.labels.isEmpty { channelMasks[n.name] = ChannelLayout(labels: out.labels, widths: out.values, channels: cmax) }
    }

    /// Follows the zeroed channels of a width-choice `conv1d` through ops that keep zeros at zero (the activations
    /// but sigmoid, pools over time, dropout, identity, add, mul); `conv1d` and `linear` consume them (their weights
    /// multiply the zeros). Any other reader is a located error; false when `n` is reported.
    private mutating func checkSequenceMask(_ n: Node) -> Bool {
        let masks = sequenceMasks
        guard let label = n.inputs.lazy.compactMap({ masks[$0.node] }).first else { return true }
        switch n.op {
        case .conv1d, .linear, .lstm, .gru: return true
        case .activation(let f) where f != .sigmoid:
            sequenceMasks[n.name] = label
        case .identity, .dropout, .maxPool1d, .avgPool1d, .globalMaxPool1d, .globalAvgPool1d, .add, .mul, .weightedSum, .switchOp, .scale:
            sequenceMasks[n.name] = label
        default:
            engine.error("\(n.op.kind.rawValue) '\(n.name)' reads channels that value choice '\(label)' masks to zero on a conv1d, which it does not keep at zero in a supernet",
                         at: n.location)
            return false
        }
        return true
    }

    /// `conv1d {out = $w}` on `[N,T,C]`: the largest layer with weight rows (and bias entries) `>= w` zeroed. The
    /// masked channels are the last dimension, so no channel mask is tracked downstream (like `linear` on a sequence):
    /// the ops after it see zeros there (a `conv1d` or `linear` reading them multiplies them by its weights).
    private mutating func rewriteConv1d(_ n: Node, _ a: Conv1DAttrs) {
        for (attr, e) in [("kernel", a.kernel), ("stride", a.stride), ("dilation", a.dilation), ("groups", a.groups)]
            + (a.inChannels.map { [("in", $0)] } ?? []) where !e.labels.isEmpty { unsupported(attr, e, n); return }
        if case .explicit(let e) = a.padding, !e.labels.isEmpty { unsupported("padding", e, n); return }
        guard let out = choice(a.outChannels, "out", n), let k = a.kernel.constantInt, let groups = a.groups.constantInt else { return }
        guard groups == 1 else {
            engine.error("a width choice on conv1d '\(n.name)' needs groups = 1", at: n.location)
            return
        }
        guard let t = type(n.inputs[0]), t.rank == 3, let cin = t.shape[2].value else {
            engine.error("conv1d '\(n.name)' with a value choice needs a known [N,T,C] input type", at: n.location)
            return
        }
        let cmax = out.values.max() ?? 1, fanIn = cin * k
        let shape = [cmax, cin, k]
        let w = param("\(n.name).weight", shape, .kaimingUniform(fanIn: fanIn), n)
        let wm = masked(w, weightMasks(out: out, kernel: nil, shape: shape, owner: "\(n.name).weight", n), "\(n.name).weight_masked", n)
        var inputs = [n.inputs[0], wm]
        if a.bias {
            let b = param("\(n.name).bias", [cmax], .fanInUniform(fanIn: fanIn), n)
            inputs.append(masked(b, [channelMask(out, c: cmax, owner: "\(n.name).bias", n)], "\(n.name).bias_masked", n))
        }
        var attrs = a
        attrs.outChannels = .int(cmax)
        append(Node(name: n.name, op: .conv1d(attrs), inputs: inputs, location: n.location))
        if let label = out.labels.first { sequenceMasks[n.name] = label }
    }

    /// `lstm` / `gru {hidden = $h}`: the largest layer (`hmax` units per direction) with, in every weight and bias, the
    /// rows of units `>= h` of each gate block zeroed (PyTorch's layout stacks the gates: block `k` is rows
    /// `k hmax ..< (k + 1) hmax`). A unit with all its rows zero stays exactly 0: its gates are sigmoid(0) = 1/2 and
    /// tanh(0) = 0, so the LSTM's cell `c = c'/2 + 0` and `h = tanh(c)/2` and the GRU's `h = n/2 + h'/2` with `n = 0`
    /// stay 0 from the zero initial state; the live units never read it (its `W_hh` columns multiply 0). The output
    /// `[N,T,dirs hmax]` has zeros past `h` in each direction's half, tracked like a `conv1d` width.
    private mutating func rewriteRecurrent(_ n: Node, _ a: RecurrentAttrs) {
        guard let (cell, _) = n.op.recurrent, let hidden = choice(a.hidden, "hidden", n) else { return }
        guard n.inputs.count == 1, let t = type(n.inputs[0]), t.rank == 3, let d = t.shape[2].value else {
            engine.error("\(cell.rawValue) '\(n.name)' with a value choice needs a known [N,T,D] input type", at: n.location)
            return
        }
        let hmax = hidden.values.max() ?? 1
        var inputs = [n.inputs[0]]
        for p in OpTable.recurrentParameters(n.name, cell: cell, inputSize: d, hidden: hmax, directions: a.directions) {
            let v = param(p.name, p.shape, p.initializer, n)
            inputs.append(masked(v, [gateRowMask(hidden, gates: cell.gates, hmax: hmax, shape: p.shape, owner: p.name, n)],
                                 "\(p.name)_masked", n))
        }
        var attrs = a
        attrs.hidden = .int(hmax)
        append(Node(name: n.name, op: cell == .lstm ? .lstm(attrs) : .gru(attrs), inputs: inputs, location: n.location))
        if !hidden.labels.isEmpty { sequenceMasks[n.name] = hidden.labels.joined(separator: ", ") }
    }

    /// The mask keeping rows `k hmax ..< k hmax + h` of each of `gates` blocks of a `shape` tensor (all columns), for
    /// the hidden sizes `h` of `hidden`: one box mask per gate block, summed (the blocks are disjoint); shared by every
    /// tensor of the same shape and choice, in no candidate.
    private mutating func gateRowMask(_ hidden: Choice, gates: Int, hmax: Int, shape: [Int], owner: String, _ at: Node) -> ValueRef {
        let key = "gates|\(hidden.labels)|\(hidden.values)|\(gates)|\(shape)"
        if let m = masks[key] { return m }
        let outer = scope
        scope = []
        defer { scope = outer }
        let rest = Array(shape.dropFirst())
        let parts = (0..<gates).map { k in
            mask(hidden.labels, owner: "\(owner).gate\(k)", shape: shape, lower: hidden.values.map { _ in [k * hmax] + rest.map { _ in 0 } },
                 upper: hidden.values.map { [k * hmax + $0] + rest }, at)
        }
        let sum = summed(parts, owner: owner, at)
        masks[key] = sum
        return sum
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
        if a.bias, !out.labels.isEmpty {
            let b = param("\(n.name).bias", [fmax], .fanInUniform(fanIn: fin), n)
            inputs.append(masked(b, [channelMask(out, c: fmax, owner: "\(n.name).bias", n)], "\(n.name).bias_masked", n))
        }
        var attrs = a
        attrs.outFeatures = .int(fmax)
        append(Node(name: n.name, op: .linear(attrs), inputs: inputs, location: n.location))
        if !out.labels.isEmpty, t.rank == 2 { channelMasks[n.name] = ChannelLayout(labels: out.labels, widths: out.values, channels: fmax) }
    }

    private mutating func rewriteDepthwise(_ n: Node, _ a: DepthwiseConv2DAttrs, _ inMask: ChannelLayout?) {
        for (attr, e) in [("stride", a.stride), ("dilation", a.dilation)] where !e.labels.isEmpty { unsupported(attr, e, n); return }
        guard let kernel = choice(a.kernel, "kernel", n), let dilation = a.dilation.constantInt else { return }
        let padding: Padding
        if kernel.labels.isEmpty {
            padding = a.padding
            if case .explicit(let e) = a.padding, !e.labels.isEmpty { unsupported("padding", e, n); return }
        } else {
            guard let p = kernelPadding(a.padding, kernel, dilation: dilation, n) else { return }
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
            inputs.append(inMask.map { masked(b, [channelMask($0, owner: "\(n.name).bias", n)], "\(n.name).bias_masked", n) } ?? b)
        }
        var attrs = a
        attrs.kernel = .int(kmax); attrs.padding = padding
        append(Node(name: n.name, op: .depthwiseConv2d(attrs), inputs: inputs, location: n.location))
        if let m = inMask { channelMasks[n.name] = m }
    }
}
